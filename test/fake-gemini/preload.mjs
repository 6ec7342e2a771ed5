// @ts-check
// `node --import ./test/fake-gemini/preload.mjs app.mjs`: points a program at the fake Gemini server
// without touching it, and keeps it off the network.
// - fetch to https://generativelanguage.googleapis.com (hard-coded in @google/generative-ai 0.24.1) is
//   rewritten to $FAKE_GEMINI_URL;
// - any other fetch, and any TCP connection (http, https, ws, ...), to a non-loopback host is refused.
import net from 'node:net';

const GOOGLE = 'https://generativelanguage.googleapis.com';
const target = process.env.FAKE_GEMINI_URL;

const isLoopback = (/** @type {string} */ host) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
const blocked = (/** @type {string} */ what) => new Error(`fake-gemini preload: network access blocked: ${what}`);

if (target !== undefined && !isLoopback(new URL(target).hostname)) throw blocked(`FAKE_GEMINI_URL=${target}`);

const realFetch = globalThis.fetch.bind(globalThis);
/** @param {string | URL | Request} input @param {RequestInit} [init] @returns {Promise<Response>} */
async function guardedFetch(input, init) {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input));
  if (url.origin === GOOGLE) {
    if (!target) throw blocked(`${url.href} (FAKE_GEMINI_URL is not set)`);
    const rewritten = new URL(url.pathname + url.search, target).href;
    return realFetch(request ? new Request(rewritten, request) : rewritten, init);
  }
  if (url.protocol !== 'data:' && url.protocol !== 'blob:' && !isLoopback(url.hostname)) throw blocked(url.href);
  return realFetch(input, init);
}
Object.assign(globalThis, { fetch: guardedFetch }); // (not `globalThis.fetch =`: checkJs reads that as a declaration)

// Below fetch: every TCP client socket goes through net.Socket#connect. Unix sockets (path) are local.
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = /** @type {any} */ (function (/** @type {any[]} */ ...args) {
  // net.connect passes [options, cb] already normalized as an array; socket.connect takes (options|port, host?).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const opts = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (!opts.path && !isLoopback(String(opts.host ?? 'localhost'))) {
    // Fail the way a refused connection does: an 'error' event, not a throw out of http.get().
    const error = blocked(`tcp ${opts.host}:${opts.port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return realConnect.apply(this, /** @type {any} */ (args));
});
