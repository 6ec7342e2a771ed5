import type { Transform } from '../src/types.js';
import { generateContent } from './generate-content.js';
import { legacyRemnants } from './legacy-remnants.js';
import { modelIdSwap } from './model-id-swap.js';

/**
 * The ordered registry: the runner applies these in this order, re-parsing a file between two transforms only when
 * the first changed it.
 */
export const transforms: readonly Transform[] = [
  generateContent,
  // After the API transforms: it marks only what they left on a legacy API.
  legacyRemnants,
  // Last on purpose: the API transforms carry model ids into the new code, and this then swaps what is deprecated.
  modelIdSwap,
];
