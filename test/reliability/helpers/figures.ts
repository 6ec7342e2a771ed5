import { appendFileSync } from 'node:fs';

/** What one reliability test did, for the table `npm run reliability` prints (scripts/reliability.mjs). */
export interface Figures {
  suite: string;
  /** Inputs the tool was run on: files of bad input, hostile trees, generated programs. */
  inputs: number;
  /** Faults injected: kills, write errors, concurrent runs, throwing transforms. */
  faults: number;
  /** Files compared byte for byte with their original or their expected migrated bytes afterwards. */
  checked: number;
  /** Files found neither original nor completely migrated (must stay 0: the test fails first). */
  lost: number;
}

/** Appends to $MI_RELIABILITY_FIGURES when the script asks; a no-op under plain `vitest run`. */
export function recordFigures(figures: Figures): void {
  const file = process.env.MI_RELIABILITY_FIGURES;
  if (file) appendFileSync(file, JSON.stringify(figures) + '\n');
}

/** How many times the script asks the bounded loops to go round (1 under `npm test`). */
export function scale(): number {
  const n = Number(process.env.MI_RELIABILITY_SCALE ?? '1');
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}
