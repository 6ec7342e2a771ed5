/**
 * The registry's transform ids, in its order, with nothing else loaded: the CLI checks `--only` and `--skip` with
 * them before a run, so that a run where no file needs ts-morph does not load it for the check. transforms/index.ts
 * stays the registry; test/performance.e2e.test.ts (lazy loading) checks that these are its ids.
 */
export const TRANSFORM_IDS: readonly string[] = ['generate-content', 'file-manager', 'legacy-remnants', 'model-id-swap'];
