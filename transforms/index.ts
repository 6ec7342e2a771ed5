import type { Transform } from '../src/types.js';
import { modelIdSwap } from './model-id-swap.js';

/**
 * The ordered registry: the runner applies these in this order, re-parsing a file between two transforms only when
 * the first changed it.
 */
export const transforms: readonly Transform[] = [
  // Last on purpose once the API transforms exist: they move model ids into new code, which this then swaps.
  modelIdSwap,
];
