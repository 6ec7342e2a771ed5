import { rng } from '../../scripts/gen-tree.mjs';

/** A seeded PRNG (mulberry32, the benchmark generator's): the same seed gives the same sequence on every machine, so a failure replays. */
export const seededRandom: (seed: number) => () => number = rng;
