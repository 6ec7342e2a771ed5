import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FileResult } from './runner.js';
import { decodeSource } from './source-text.js';

const LEGACY = '@google/generative-ai';
const GENAI = '@google/genai';
/** The first releases whose Interactions API matches the emitted code (steps, output_text, step.delta). */
const GENAI_FOR_NODE_20 = '^2.32.0';
const GENAI_FOR_NODE_22 = '^3.3.0';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
const LEGACY_USE = /(['"])@google\/generative-ai(\/[^'"]*)?\1/;

export interface PackageJsonOutcome {
  files: FileResult[];
  notices: string[];
}

/**
 * The nearest package.json of each migrated file: `@google/genai` added or raised to a range whose Interactions API
 * matches the emitted code (3.x needs Node 22, so `^3.3.0` only when `engines.node` rules out older Node), and
 * `@google/generative-ai` removed once nothing in the package uses it. A package.json outside the named paths is
 * never written: the user is told what to change instead.
 */
export function packageJsonUpdates(files: readonly FileResult[], roots: readonly string[], cwd: string): PackageJsonOutcome {
  const outcome: PackageJsonOutcome = { files: [], notices: [] };
  const nearest = new Map<string, string | undefined>();
  const pkgOf = (file: string) => nearestPackageJson(dirname(file), nearest);
  const migratedPackages = new Set(files.filter((f) => f.changed && f.after?.includes(GENAI)).map((f) => pkgOf(f.realPath)));

  for (const pkgPath of [...migratedPackages].filter((p): p is string => p !== undefined).sort()) {
    const display = relative(cwd, pkgPath).split(sep).join('/');
    const covered = roots.some((root) => pkgPath.startsWith(root + sep) || dirname(pkgPath) === root);
    const stillLegacy = files.some((f) => pkgOf(f.realPath) === pkgPath && LEGACY_USE.test(f.after ?? f.decoded?.text ?? ''));
    const bytes = readFileSync(pkgPath);
    const decoded = decodeSource(bytes);
    let pkg: { engines?: { node?: string } } & Partial<Record<(typeof DEPENDENCY_FIELDS)[number], Record<string, string>>>;
    try {
      if ('kind' in decoded) throw new Error(decoded.message);
      pkg = JSON.parse(decoded.text) as typeof pkg;
    } catch (e) {
      outcome.notices.push(`${display}: not updated (${(e as Error).message})`);
      continue;
    }
    const range = minNodeMajor(pkg.engines?.node) >= 22 ? GENAI_FOR_NODE_22 : GENAI_FOR_NODE_20;
    const declared = (name: string) => DEPENDENCY_FIELDS.map((f) => pkg[f]?.[name]).find((v) => v !== undefined);
    const { text, changes, advice } = updateDependencies(decoded.text, range, {
      removeLegacy: !stillLegacy,
      declared: { genai: declared(GENAI), legacy: declared(LEGACY) },
    });
    if (advice) outcome.notices.push(`${display}: ${advice} by hand`);
    if (changes.length === 0) continue;
    if (!covered) {
      // Files of the package outside the named paths may still use the legacy SDK: say so rather than guess.
      outcome.notices.push(`${display} is outside the named paths and was not changed; by hand: ${changes.join('; ')} (once nothing else in the package uses ${LEGACY})`);
      continue;
    }
    outcome.notices.push(`${display}: ${changes.join('; ')}`);
    outcome.files.push({
      file: display,
      absPath: pkgPath,
      realPath: pkgPath,
      changed: true,
      modelIds: [],
      todos: [],
      before: decoded.text,
      after: text,
      decoded,
      hash: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return outcome;
}

/** The package.json files packageJsonUpdates may change for these files (the nearest of each). */
export function packageJsonsOf(realPaths: readonly string[]): string[] {
  const nearest = new Map<string, string | undefined>();
  return [...new Set(realPaths.map((p) => nearestPackageJson(dirname(p), nearest)))].filter((p): p is string => p !== undefined);
}

function nearestPackageJson(dir: string, cache: Map<string, string | undefined>): string | undefined {
  if (cache.has(dir)) return cache.get(dir);
  const candidate = join(dir, 'package.json');
  const parent = dirname(dir);
  const found = existsSync(candidate) ? candidate : parent === dir || dir.endsWith(`${sep}node_modules`) ? undefined : nearestPackageJson(parent, cache);
  cache.set(dir, found);
  return found;
}

/** The lowest Node major an `engines.node` range admits (0 when it says nothing: assume the oldest). */
export function minNodeMajor(range: string | undefined): number {
  if (!range) return 0;
  const majors = range.split('||').map((alt) => {
    const m = /(\d+)/.exec(alt.replace(/<=?\s*\d+(\.\d+)*/g, ''));
    return m ? Number(m[1]) : 0;
  });
  return Math.min(...majors);
}

function minVersion(range: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(range) ?? /(\d+)(?:\.(\d+))?/.exec(range);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function olderThan(a: [number, number, number], b: [number, number, number]): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
}

/** Line-level edits of the dependency entries, so the rest of the file (order, indentation, EOLs) stays as it was. */
export function updateDependencies(
  text: string,
  range: string,
  opts: { removeLegacy: boolean; declared?: { genai?: string; legacy?: string } },
): { text: string; changes: string[]; advice?: string } {
  const changes: string[] = [];
  const entry = (name: string) => new RegExp(`^([ \\t]*)"${name.replace(/[/.]/g, '\\$&')}"(\\s*:\\s*)"([^"]*)"(,?)([ \\t]*\\r?\\n)`, 'm');
  let out = text;
  const genai = entry(GENAI).exec(out);
  const legacy = entry(LEGACY).exec(out);
  // Entries the JSON has but not one per line (a one-line package.json): say what to do rather than rewrite it.
  const declared = opts.declared ?? {};
  if ((declared.genai !== undefined && !genai) || (declared.legacy !== undefined && !legacy)) {
    const current = declared.genai !== undefined ? minVersion(declared.genai) : undefined;
    const todo = [
      ...(declared.genai === undefined ? [`add ${GENAI} ${range}`] : current && olderThan(current, [2, 32, 0]) ? [`raise ${GENAI} to ${range}`] : []),
      ...(declared.legacy !== undefined && opts.removeLegacy ? [`remove ${LEGACY}`] : []),
    ];
    return { text, changes: [], advice: todo.length ? todo.join(', ') : undefined };
  }
  if (genai) {
    const current = minVersion(genai[3]!);
    if (current && olderThan(current, [2, 32, 0])) {
      out = out.replace(entry(GENAI), `$1"${GENAI}"$2"${range}"$4$5`);
      changes.push(`${GENAI} raised from ${genai[3]} to ${range}`);
    }
  }
  if (legacy && opts.removeLegacy) {
    if (!genai) {
      out = out.replace(entry(LEGACY), `$1"${GENAI}"$2"${range}"$4$5`); // same place, same section
      changes.push(`${LEGACY} replaced by ${GENAI} ${range}`);
    } else {
      out = removeEntry(out, entry(LEGACY));
      changes.push(`${LEGACY} removed`);
    }
  } else if (legacy && !genai) {
    out = out.replace(entry(LEGACY), `$1"${GENAI}"$2"${range}",$5$&`);
    changes.push(`${GENAI} ${range} added (${LEGACY} stays: it is still used)`);
  } else if (!genai) {
    return { text, changes: [], advice: `add ${GENAI} ${range} to the dependencies` }; // no entry to put it beside
  }
  return { text: out, changes };
}

/** Removes one `"name": "range",` line; when it was the last entry, the comma of the line before goes too. */
function removeEntry(text: string, re: RegExp): string {
  const m = re.exec(text)!;
  let before = text.slice(0, m.index);
  if (m[4] === '') before = before.replace(/,(\s*)$/, '$1');
  return before + text.slice(m.index + m[0].length);
}
