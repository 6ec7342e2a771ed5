import { join } from 'node:path';
import { Project, ts } from './tsm.js';
import type { SourceFile, ts as TS } from 'ts-morph';
import { scopedResolution } from './analysis-resolution.js';
import type { PathAliases } from './path-aliases.js';

/**
 * The program the transforms analyse: the parsed candidates, what they import, the Gemini SDKs' own declarations
 * (not their dependencies', see analysis-resolution.ts), Node's types and the ES library.
 */
export function newAnalysisProject(aliases?: PathAliases): Project {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    resolutionHost: scopedResolution,
    compilerOptions: {
      allowJs: true,
      checkJs: false,
      jsx: ts.JsxEmit.Preserve,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      // Recognition needs the SDKs' declarations, the ES library and Node's types, not every @types package of the
      // project nor the DOM (which alone is as big as everything else): each one is parsed on every program build.
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      // `@/lib/gemini` must resolve as the project resolves it, or a model used through it would not be followed.
      ...(aliases ? { paths: aliases.paths } : {}),
    },
  });
  plainCommentsInLibraries(project);
  return project;
}

/**
 * Parses and binds what the first program would parse whatever the candidates are: the ES library, Node's types and
 * the SDKs' declarations as a module in `dir` resolves them. The program built next reuses those source files as
 * they are (a checker never changes them), so this moves about half of the first build to where the runner can
 * overlap it with its reads. The probe is in memory only and gone before any transform runs.
 */
export function warmUp(project: Project, dir: string): void {
  const probe = addSourceFile(project, join(dir, `__migrate_interactions_warm_up_${process.pid}__.ts`), "import '@google/genai';\nimport '@google/generative-ai';\n");
  try {
    project.getTypeChecker().compilerObject;
  } finally {
    project.removeSourceFile(probe);
  }
}

/**
 * A library's declaration files are parsed with their doc comments turned into plain comments: the parser builds a
 * JSDoc tree for every `/**` comment, which is most of the cost of `@google/genai`'s 770 KB `.d.ts` (about 2.5× its
 * parse), and types in a `.d.ts` never come from JSDoc. Same length, so positions are unchanged.
 */
function plainCommentsInLibraries(project: Project): void {
  // The registry every parse of the project and of its language service goes through (ts-morph internals, as in find.ts).
  const registry = (project as unknown as { _context: { compilerFactory: { documentRegistry: Registry } } })._context.compilerFactory.documentRegistry;
  const create = registry.createOrUpdateSourceFile.bind(registry);
  registry.createOrUpdateSourceFile = (fileName, settings, snapshot, scriptKind) => {
    if (!/\/node_modules\/.*\.d\.[cm]?ts$/.test(fileName)) return create(fileName, settings, snapshot, scriptKind);
    const text = snapshot.getText(0, snapshot.getLength());
    return create(fileName, settings, ts.ScriptSnapshot.fromString(plainComments(text)), scriptKind);
  };
}

interface Registry {
  createOrUpdateSourceFile(fileName: string, settings: unknown, snapshot: TS.IScriptSnapshot, scriptKind?: TS.ScriptKind): TS.SourceFile;
}

/** Strings and comments of a declaration file (it has no regular expressions), so a `/**` inside a string stays. */
const TOKENS = /\/\*\*(?!\/)[\s\S]*?\*\/|\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;

/** `/** doc *\/` → `/*  doc *\/`. */
export function plainComments(text: string): string {
  return text.replace(TOKENS, (m) => (m.startsWith('/**') ? '/* ' + m.slice(3) : m));
}

/**
 * Adds a file with the given text. Project.createSourceFile cannot do it in one parse for a path that exists on disk:
 * without `overwrite` it throws, and with it ts-morph first reads and parses the file from disk, then parses the
 * text again. This is what it does for a new path (ts-morph internals, as in find.ts).
 */
export function addSourceFile(project: Project, path: string, text: string): SourceFile {
  const context = (project as unknown as { _context: { compilerFactory: Factory; fileSystemWrapper: { getStandardizedAbsolutePath(p: string): string } } })._context;
  const compilerSourceFile = context.compilerFactory.createCompilerSourceFileFromText(context.fileSystemWrapper.getStandardizedAbsolutePath(path), text);
  return context.compilerFactory.getSourceFile(compilerSourceFile, { markInProject: true });
}

interface Factory {
  createCompilerSourceFileFromText(filePath: string, text: string, scriptKind?: TS.ScriptKind): TS.SourceFile;
  getSourceFile(compilerSourceFile: TS.SourceFile, options: { markInProject: boolean }): SourceFile;
}
