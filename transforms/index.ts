import type { Transform } from '../src/types.js';
import { fileManager } from './file-manager.js';
import { generateContent } from './generate-content.js';
import { legacyRemnants } from './legacy-remnants.js';
import { modelIdSwap } from './model-id-swap.js';

/**
 * The ordered registry: the runner applies these in this order, re-parsing a file between two transforms only when
 * the first changed it.
 */
export const transforms: readonly Transform[] = [
  generateContent,
  // After generate-content: a file manager reuses the GoogleGenAI client it made for the same key, and reads of an
  // uploaded file inside the Interactions blocks it wrote need no assertion (their uri is optional).
  fileManager,
  // After the API transforms: it marks only what they left on a legacy API. It adds TODO lines and nothing else
  // (marksOnly), so the next transform reads the same parse and both edit in one batch.
  legacyRemnants,
  // Last on purpose: the API transforms carry model ids into the new code, and this then swaps what is deprecated.
  modelIdSwap,
];
