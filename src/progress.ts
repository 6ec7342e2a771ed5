/**
 * One updating progress line on stderr for runs longer than a second, only on a TTY; off a TTY nothing is printed
 * until the summary, so logs stay clean.
 */
export function progressLine(stream: NodeJS.WriteStream, enabled: boolean): { update(done: number, total: number): void; stop(): void } {
  if (!enabled || !stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let done = 0;
  let total = 0;
  let shown = false;
  const timer = setInterval(() => {
    if (Date.now() - started < 1000) return;
    const rate = Math.round(done / ((Date.now() - started) / 1000));
    stream.write(`\r\x1b[2K${done}/${total} files, ${rate} files/s`);
    shown = true;
  }, 100);
  timer.unref();
  return {
    update(d, t) {
      done = d;
      total = t;
    },
    stop() {
      clearInterval(timer);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
