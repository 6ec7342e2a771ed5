import { readdirSync, type Dirent } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';

export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
export const ALWAYS_SKIPPED_DIRS: readonly string[] = ['node_modules', '.git', 'dist', 'build', 'coverage', '.next'];

export interface DiscoverOptions {
  /** Default `process.cwd()`; display paths and `--ignore` globs are relative to it. */
  cwd?: string;
  /**
   * User `--ignore` globs in .gitignore syntax relative to `cwd`: 'legacy/**', 'legacy/' (the folder is
   * pruned), '*.spec.ts' (any depth), '!keep.ts'. They win over everything, named paths included, and
   * do not apply outside cwd.
   */
  ignore?: string[];
}

export interface DiscoveredFile {
  /** Absolute path as reached (not resolved through symlinks). */
  absPath: string;
  /** `fs.realpath` of the file: write here, not through a symlink. */
  realPath: string;
  /** Relative to cwd with '/' separators; absolute if outside cwd. */
  displayPath: string;
}

export interface DiscoveryProblem {
  path: string;
  kind: 'unreadable' | 'symlink-loop' | 'outside-root' | 'broken-symlink';
  message: string;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  problems: DiscoveryProblem[];
  /** Arguments that do not exist (and, for globs, match nothing). */
  missing: string[];
}

const EXTENSIONS = new Set(SOURCE_EXTENSIONS);
const SKIPPED_DIRS = new Set(ALWAYS_SKIPPED_DIRS);
const DECLARATION_FILE = /\.d\.[mc]?ts$/;
const GLOB_CHARS = /[*?[\]{}]/;
// Few enough open directory handles for `ulimit -n 256`, enough to keep the disk busy.
const CONCURRENCY = 32;
// git sets core.ignorecase only on the usual case-insensitive filesystems.
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** True for a name with a source extension that is not a declaration file. */
export function isSourceFileName(name: string): boolean {
  // As path.extname (a leading dot alone is no extension), without its cost: this runs once per file.
  const dot = name.lastIndexOf('.');
  return dot > 0 && EXTENSIONS.has(name.slice(dot)) && !DECLARATION_FILE.test(name);
}

export async function discover(paths: string[], options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const discovery = new Discovery(path.resolve(options.cwd ?? process.cwd()), options.ignore ?? []);
  return discovery.run(paths.length > 0 ? paths : ['.']);
}

/** The rules of one .gitignore and the folder its patterns are relative to. */
interface Layer {
  base: string;
  /** One per line, marked with the line number so that a deciding rule can be told apart. */
  patterns: readonly ignore.PatternParams[];
  rules: ignore.Ignore;
  /**
   * No pattern has a '/' before its end, so every rule matches a name at any depth: test the name alone,
   * which is cheaper and cached across folders. Typical of nested .gitignore files ('dist', '*.log').
   */
  byName: boolean;
  /**
   * For a by-name layer whose rules that can match a file are all '*.ext' or a plain name: the endings a
   * file name needs for any of them to match. Other names skip the layer without a regex test (most names,
   * on a big tree). Undefined when some rule is of another shape.
   */
  fileEndings: readonly string[] | undefined;
}
/** The .gitignore layers that apply inside a folder, outermost first. */
type Chain = readonly Layer[];

interface DirTask {
  abs: string;
  real: string;
  chain: Chain;
}
interface PendingLink {
  abs: string;
  name: string;
  /** Real path of the folder holding the link, to tell a loop from an alias. */
  parentReal: string;
  chain: Chain;
}
interface Root {
  abs: string;
  real: string;
  isDir: boolean;
  /** Folder where .gitignore files start to apply (see `topFor`). */
  top: string;
}

const toPosix = path.sep === '/' ? (p: string) => p : (p: string) => p.replaceAll(path.sep, '/');

export function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

function childPath(parent: string, name: string): string {
  return parent.endsWith(path.sep) ? parent + name : parent + path.sep + name;
}

/** `abs` relative to `base` with '/' separators; `abs` must be strictly inside `base`. */
function relativeTo(base: string, abs: string): string {
  return toPosix(abs.slice(base.endsWith(path.sep) ? base.length : base.length + 1));
}

// Within a chain a deeper .gitignore overrides a shallower one, and within a file the last matching
// pattern wins (as in git). Folders are tested with a trailing '/' so that 'build/' patterns match.
function isIgnored(chain: Chain, abs: string, isDir: boolean): boolean {
  let ignored = false;
  let name: string | undefined;
  for (const layer of chain) {
    if (!isDir && layer.fileEndings) {
      name ??= caseFold(abs.slice(abs.lastIndexOf(path.sep) + 1));
      if (!layer.fileEndings.some((ending) => name!.endsWith(ending))) continue;
    }
    const result = layer.rules.test(layerPath(layer, abs) + (isDir ? '/' : ''));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/** The path a layer's rules are tested with. */
function layerPath(layer: Layer, abs: string): string {
  return layer.byName ? abs.slice(abs.lastIndexOf(path.sep) + 1) : relativeTo(layer.base, abs);
}

function makeLayer(base: string, patterns: readonly ignore.PatternParams[]): Layer {
  const byName = patterns.every(({ pattern }) => {
    const body = pattern.trim();
    return body.startsWith('#') || !body.slice(0, -1).includes('/');
  });
  const fileEndings = byName ? endingsOfFileRules(patterns) : undefined;
  return { base, patterns, rules: ignore({ ignorecase: IGNORE_CASE }).add(patterns), byName, fileEndings };
}

const caseFold = IGNORE_CASE ? (name: string) => name.toLowerCase() : (name: string) => name;
// '*.log', '.env', 'secrets.json': an optional leading '*' and a plain name (no glob, escape, space or slash).
const SIMPLE_FILE_RULE = /^\*?([^*?[\]{}\\/!#\s]+)$/;

function endingsOfFileRules(patterns: readonly ignore.PatternParams[]): string[] | undefined {
  const endings: string[] = [];
  for (const { pattern } of patterns) {
    let body = pattern.trimEnd();
    if (body === '' || body.startsWith('#')) continue;
    if (body.startsWith('!')) body = body.slice(1);
    if (body.endsWith('/') && !body.endsWith('\\/')) continue; // folders only
    const match = SIMPLE_FILE_RULE.exec(body);
    if (!match) return undefined;
    endings.push(caseFold(match[1]!));
  }
  return endings;
}

// `ignore` reports everything inside a folder as ignored when it ignores the folder itself. So when we
// enter a folder that a layer ignores (re-included by a deeper .gitignore, or named explicitly), the
// subtree gets a copy of the layer without the rules that ignore the folder; its other rules still apply.
function chainInside(chain: Chain, dirAbs: string): Chain {
  let changed = false;
  const inner: Layer[] = [];
  for (const layer of chain) {
    const kept = layerInside(layer, dirAbs);
    if (kept !== layer) changed = true;
    if (kept) inner.push(kept);
  }
  return changed ? inner : chain;
}

function layerInside(layer: Layer, dirAbs: string): Layer | undefined {
  const rel = layerPath(layer, dirAbs) + '/';
  let current = layer;
  for (let result = current.rules.test(rel); result.ignored; result = current.rules.test(rel)) {
    const mark = result.rule?.mark;
    if (mark === undefined) return undefined;
    current = makeLayer(layer.base, current.patterns.filter((pattern) => pattern.mark !== mark));
  }
  return current;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Runs `work` over a queue it may keep filling, with at most `limit` calls in flight. */
function drain<T>(queue: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let running = 0;
    let failed = false;
    const pump = (): void => {
      while (!failed && running < limit && queue.length > 0) {
        running++;
        work(queue.pop() as T).then(
          () => {
            running--;
            pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
      if (running === 0) resolve();
    };
    pump();
  });
}

function preferred(file: DiscoveredFile, other: DiscoveredFile): boolean {
  const direct = file.absPath === file.realPath;
  if (direct !== (other.absPath === other.realPath)) return direct;
  return file.displayPath < other.displayPath;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Discovery {
  private readonly problems: DiscoveryProblem[] = [];
  private readonly missing: string[] = [];
  private readonly candidates: DiscoveredFile[] = [];
  /** Real paths of folders walked or queued: each is walked once, whatever path reaches it. */
  private readonly visited = new Set<string>();
  private readonly queue: DirTask[] = [];
  private links: PendingLink[] = [];
  private rootReals: string[] = [];
  private sawLink = false;
  /** `cwd` with a trailing separator, to tell and strip the prefix of paths inside it. */
  private readonly cwdPrefix: string;
  private readonly gitignores = new Map<string, Promise<Layer | undefined>>();
  private readonly gitRoots = new Map<string, Promise<string | undefined>>();
  private readonly namedChains = new Map<string, Promise<Chain>>();
  private readonly user: ignore.Ignore | undefined;

  constructor(
    private readonly cwd: string,
    userGlobs: string[],
  ) {
    // --ignore uses `ignore` (gitignore semantics) rather than picomatch: the syntax users already write
    // in .gitignore, where '*.spec.ts' matches at any depth and a matching folder prunes its subtree.
    this.cwdPrefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
    this.user = userGlobs.length > 0 ? ignore({ ignorecase: IGNORE_CASE }).add(userGlobs) : undefined;
  }

  async run(args: string[]): Promise<DiscoveryResult> {
    const roots: Root[] = [];
    for (const arg of args) roots.push(...(await this.resolveArg(arg)));
    this.rootReals = roots.map((root) => root.real);

    for (const root of roots) {
      if (this.userIgnores(root.abs, root.isDir)) continue;
      if (!root.isDir) {
        if (isSourceFileName(path.basename(root.abs))) this.addFile(root.abs, root.real);
      } else if (!this.visited.has(root.real)) {
        this.visited.add(root.real);
        const chain = root.abs === root.top ? [] : chainInside(await this.namedChain(path.dirname(root.abs), root.top), root.abs);
        this.queue.push({ abs: root.abs, real: root.real, chain });
      }
    }

    // Walk everything reachable without symlinks first, then follow symlinks in sorted order, so that
    // which alias of a folder gets walked does not depend on I/O timing.
    await drain(this.queue, CONCURRENCY, (task) => this.walkDir(task));
    while (this.links.length > 0) {
      const links = this.links.sort((a, b) => compare(a.abs, b.abs));
      this.links = [];
      await this.followLinks(links);
      await drain(this.queue, CONCURRENCY, (task) => this.walkDir(task));
    }

    // One tree without symlinks cannot reach a file twice; otherwise dedupe by real path, preferring a
    // path that involves no symlink, then the smallest display path.
    let files = this.candidates;
    if (roots.length > 1 || this.sawLink) {
      const byReal = new Map<string, DiscoveredFile>();
      for (const file of files) {
        const kept = byReal.get(file.realPath);
        if (!kept || preferred(file, kept)) byReal.set(file.realPath, file);
      }
      files = [...byReal.values()];
    }
    files.sort((a, b) => compare(a.displayPath, b.displayPath));
    this.problems.sort((a, b) => compare(a.path, b.path) || compare(a.kind, b.kind));
    return { files, problems: this.problems, missing: this.missing };
  }

  /** Turns one argument into roots: itself if it exists, else its glob matches. */
  private async resolveArg(arg: string): Promise<Root[]> {
    const abs = path.resolve(this.cwd, arg);
    try {
      await lstat(abs);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        this.problem(abs, 'unreadable', `cannot read (${code ?? String(error)})`);
        return [];
      }
      const roots = GLOB_CHARS.test(arg) ? await this.expandGlob(arg) : [];
      if (roots.length === 0) this.missing.push(arg);
      return roots;
    }
    const target = await this.resolveLink(abs, true);
    if (!target) return [];
    return [{ abs, real: target.real, isDir: target.isDir, top: target.isDir ? await this.topFor(abs) : abs }];
  }

  // Glob matches obey the same skip rules as a walk of the glob's static base (always-skipped folders,
  // .gitignore, --ignore). tinyglobby neither follows nor returns symlinks with followSymbolicLinks off;
  // the walk of a matched folder follows them as usual.
  private async expandGlob(pattern: string): Promise<Root[]> {
    const segments = toPosix(pattern).split('/');
    const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
    const staticPart = firstGlob === -1 ? segments : segments.slice(0, firstGlob);
    const base = path.resolve(this.cwd, staticPart.join('/') || '.');
    let baseReal: string;
    try {
      baseReal = await realpath(base);
    } catch {
      return [];
    }
    // Loaded on demand: most runs name folders, and startup time counts for a CLI.
    const { glob } = await import('tinyglobby');
    const matches = await glob([pattern], {
      cwd: this.cwd,
      absolute: true,
      onlyFiles: false,
      expandDirectories: false,
      followSymbolicLinks: false,
      ignore: ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]),
    });

    const top = await this.topFor(base);
    const dirChains = new Map<string, Promise<Chain | undefined>>();
    // The chain inside a folder at or below the base, or undefined if a walk of the base would skip it.
    const chainIn = (dir: string): Promise<Chain | undefined> => {
      let chain = dirChains.get(dir);
      if (!chain) {
        chain = (async () => {
          if (dir === base) return this.namedChain(base, top);
          const outer = await chainIn(path.dirname(dir));
          if (!outer || SKIPPED_DIRS.has(path.basename(dir)) || isIgnored(outer, dir, true) || this.userIgnores(dir, true)) return undefined;
          const own = await this.gitignore(dir);
          const inner = chainInside(outer, dir);
          return own ? [...inner, own] : inner;
        })();
        dirChains.set(dir, chain);
      }
      return chain;
    };

    const kept: (Root | undefined)[] = new Array(matches.length);
    // Bounded: vetting reads each folder's .gitignore, and the folders are many for '**' patterns.
    await drain(matches.map((_, index) => index), CONCURRENCY, async (index) => {
      const match = matches[index] as string;
      const isDir = match.endsWith('/');
      const abs = path.resolve(match);
      if (!isInside(base, abs)) return;
      if (isDir) {
        if (!(await chainIn(abs))) return;
      } else {
        const chain = await chainIn(path.dirname(abs));
        if (!chain || isIgnored(chain, abs, false) || this.userIgnores(abs, false)) return;
      }
      // tinyglobby went through no symlink below the base, so the real path follows from the base's.
      const real = baseReal === base ? abs : baseReal + abs.slice(base.length);
      kept[index] = { abs, real, isDir, top };
    });
    return kept.filter((root) => root !== undefined);
  }

  private async walkDir(task: DirTask): Promise<void> {
    let entries: Dirent[];
    try {
      // Synchronous: a folder listing is short, and on a warm cache the thread pool's round trip costs more
      // than the call itself (a quarter of the walk on a 20,000-file tree).
      entries = readdirSync(task.abs, { withFileTypes: true });
    } catch (error) {
      this.problem(task.abs, 'unreadable', `cannot read folder (${errorCode(error) ?? String(error)})`);
      return;
    }
    let chain = task.chain;
    // A nested repository (submodule) does not see the outer .gitignore files, as in git.
    if (entries.some((entry) => entry.name === '.git')) chain = [];
    if (entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())) {
      const own = await this.gitignore(task.abs);
      if (own) chain = [...chain, own];
    }

    // Outside symlinked folders the real path is the path itself: share the string.
    const aliased = task.real !== task.abs;
    for (const entry of entries) {
      const { name } = entry;
      const abs = childPath(task.abs, name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(name) || isIgnored(chain, abs, true) || this.userIgnores(abs, true)) continue;
        const real = aliased ? childPath(task.real, name) : abs;
        if (this.visited.has(real)) continue;
        this.visited.add(real);
        this.queue.push({ abs, real, chain: chainInside(chain, abs) });
      } else if (entry.isFile()) {
        if (!isSourceFileName(name) || isIgnored(chain, abs, false) || this.userIgnores(abs, false)) continue;
        this.addFile(abs, aliased ? childPath(task.real, name) : abs);
      } else if (entry.isSymbolicLink()) {
        // Test what the name alone can tell before paying for realpath + stat.
        if (SKIPPED_DIRS.has(name) || isIgnored(chain, abs, false) || this.userIgnores(abs, false)) continue;
        this.links.push({ abs, name, parentReal: task.real, chain });
        this.sawLink = true;
      }
    }
  }

  private async followLinks(links: PendingLink[]): Promise<void> {
    // Resolve concurrently, then decide in sorted order (the first alias of a folder wins).
    const targets = new Array<{ real: string; isDir: boolean } | undefined>(links.length);
    const indexes = links.map((_, index) => index);
    await drain(indexes, CONCURRENCY, async (index) => {
      const link = links[index] as PendingLink;
      // A broken link might have been a folder; only one named like a source file is worth a report.
      const worthReporting = isSourceFileName(link.name) || path.extname(link.name) === '';
      targets[index] = await this.resolveLink(link.abs, worthReporting);
    });
    for (const [index, link] of links.entries()) {
      const target = targets[index];
      // Skip what would not be taken anyway before reporting where it points.
      if (!target || (target.isDir ? this.skipsLinkedDir(link) : !isSourceFileName(link.name))) continue;
      if (!this.rootReals.some((root) => isInside(root, target.real))) {
        this.problem(link.abs, 'outside-root', `symlink points outside the named paths, to ${target.real}; not followed`);
      } else if (!target.isDir) {
        this.addFile(link.abs, target.real);
      } else if (isInside(target.real, link.parentReal)) {
        this.problem(link.abs, 'symlink-loop', `symlink points back to its ancestor ${target.real}; not followed`);
      } else if (!this.visited.has(target.real)) {
        this.visited.add(target.real);
        this.queue.push({ abs: link.abs, real: target.real, chain: chainInside(link.chain, link.abs) });
      }
    }
  }

  private skipsLinkedDir(link: PendingLink): boolean {
    return isIgnored(link.chain, link.abs, true) || this.userIgnores(link.abs, true);
  }

  /** Real path and kind of `abs` (following symlinks), or undefined after reporting why not. */
  private async resolveLink(abs: string, reportBroken: boolean): Promise<{ real: string; isDir: boolean } | undefined> {
    try {
      const real = await realpath(abs);
      return { real, isDir: (await stat(real)).isDirectory() };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (reportBroken) this.problem(abs, 'broken-symlink', 'symlink target does not exist');
      } else if (code === 'ELOOP') {
        this.problem(abs, 'symlink-loop', 'symlink chain loops (ELOOP)');
      } else {
        this.problem(abs, 'unreadable', `cannot resolve (${code ?? String(error)})`);
      }
      return undefined;
    }
  }

  /** The layer of `dir/.gitignore`, read once. */
  private gitignore(dir: string): Promise<Layer | undefined> {
    let layer = this.gitignores.get(dir);
    if (!layer) {
      layer = readFile(path.join(dir, '.gitignore'), 'utf8').then(
        (text) => makeLayer(dir, text.split(/\r?\n/).map((pattern, line) => ({ pattern, mark: String(line) }))),
        (error: unknown) => {
          const code = errorCode(error);
          if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
            this.problem(path.join(dir, '.gitignore'), 'unreadable', `cannot read .gitignore (${code ?? String(error)})`);
          }
          return undefined;
        },
      );
      this.gitignores.set(dir, layer);
    }
    return layer;
  }

  /**
   * Where .gitignore files start to apply for a named folder: the git root; outside a repository, cwd
   * if the folder is inside it (the project root, usually), else the folder itself.
   */
  private async topFor(dir: string): Promise<string> {
    return (await this.gitRoot(dir)) ?? (isInside(this.cwd, dir) ? this.cwd : dir);
  }

  /** Nearest ancestor-or-self folder holding `.git` (a folder, or a file for worktrees/submodules). */
  private gitRoot(dir: string): Promise<string | undefined> {
    let found = this.gitRoots.get(dir);
    if (!found) {
      found = lstat(path.join(dir, '.git')).then(
        () => dir,
        () => (path.dirname(dir) === dir ? undefined : this.gitRoot(path.dirname(dir))),
      );
      this.gitRoots.set(dir, found);
    }
    return found;
  }

  /**
   * The chain inside `dir`, a named path or one of its ancestors below `top`: such a folder is entered
   * even if ignored, as a named folder is walked even if gitignored.
   */
  private namedChain(dir: string, top: string): Promise<Chain> {
    const key = `${top}\0${dir}`;
    let chain = this.namedChains.get(key);
    if (!chain) {
      chain = (async () => {
        const outer = dir === top || !isInside(top, dir) ? [] : chainInside(await this.namedChain(path.dirname(dir), top), dir);
        const own = await this.gitignore(dir);
        return own ? [...outer, own] : outer;
      })();
      this.namedChains.set(key, chain);
    }
    return chain;
  }

  private userIgnores(abs: string, isDir: boolean): boolean {
    if (!this.user || !abs.startsWith(this.cwdPrefix)) return false;
    return this.user.ignores(toPosix(abs.slice(this.cwdPrefix.length)) + (isDir ? '/' : ''));
  }

  private display(abs: string): string {
    if (abs === this.cwd) return '.';
    return toPosix(abs.startsWith(this.cwdPrefix) ? abs.slice(this.cwdPrefix.length) : abs);
  }

  private addFile(absPath: string, realPath: string): void {
    this.candidates.push({ absPath, realPath, displayPath: this.display(absPath) });
  }

  private problem(abs: string, kind: DiscoveryProblem['kind'], message: string): void {
    this.problems.push({ path: this.display(abs), kind, message });
  }
}
