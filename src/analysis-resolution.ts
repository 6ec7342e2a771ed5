import { ts } from './tsm.js';
import type { ResolutionHostFactory, ts as TS } from 'ts-morph';

/**
 * Module resolution for the analysis program: every file resolves its imports as TypeScript would, but the Gemini
 * SDKs' declaration files resolve only within their own package. Recognition needs the SDKs' own declarations, not
 * what they import: `@google/genai` pulls in google-auth-library, gaxios, gcp-metadata and more (about 250 KB of
 * `.d.ts` that every program build parses and binds) and none of it decides an SDK call. The project's own imports
 * (Node's types among them: `parseArgs(...).positionals` must be a string[]) resolve as before.
 */
export const scopedResolution: ResolutionHostFactory = (host, getCompilerOptions) => {
  const cache = ts.createModuleResolutionCache(process.cwd(), (f) => f, getCompilerOptions());
  return {
    resolveModuleNames(moduleNames, containingFile, _reused, redirected, options, containingSourceFile) {
      const home = sdkPackageRoot(containingFile);
      return moduleNames.map((name) => {
        const usage = importsOf(containingSourceFile)?.find((i) => i.text === name);
        const mode = usage && containingSourceFile ? ts.getModeForUsageLocation(containingSourceFile, usage, options) : undefined;
        const resolved = ts.resolveModuleName(name, containingFile, options, host, cache, redirected, mode).resolvedModule;
        if (!resolved || home === undefined) return resolved;
        return packageRoot(resolved.resolvedFileName) === home ? resolved : undefined;
      });
    },
    resolveTypeReferenceDirectives(names, containingFile, redirected, options, containingMode) {
      const fromSdk = sdkPackageRoot(containingFile) !== undefined;
      return names.map((n) => {
        if (fromSdk) return undefined;
        const name = typeof n === 'string' ? n : n.fileName.toLowerCase();
        const mode = typeof n === 'string' ? containingMode : ts.getModeForFileReference(n, containingMode);
        return ts.resolveTypeReferenceDirective(name, containingFile, options, host, redirected, undefined, mode).resolvedTypeReferenceDirective;
      });
    },
  };
};

/** The package folder of a file inside `@google/generative-ai` or `@google/genai` (or an alias such as `genai-2`). */
function sdkPackageRoot(file: string): string | undefined {
  const root = packageRoot(file);
  return root && /\/node_modules\/@google\/gen[^/]*$/.test(root) ? root : undefined;
}

/** The file's module specifiers (internal but long-standing), for the resolution mode of each import. */
function importsOf(sf: TS.SourceFile | undefined): readonly TS.StringLiteralLike[] | undefined {
  return (sf as unknown as { imports?: readonly TS.StringLiteralLike[] } | undefined)?.imports;
}

/** `/x/node_modules/@scope/pkg` for a file inside a package, undefined for a project file. */
function packageRoot(file: string): string | undefined {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = file.slice(at + '/node_modules/'.length).split('/');
  const segments = rest[0]?.startsWith('@') ? 2 : 1;
  return file.slice(0, at) + '/node_modules/' + rest.slice(0, segments).join('/');
}
