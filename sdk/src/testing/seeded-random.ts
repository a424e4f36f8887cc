import type { Random } from "../core/clock.js";

/**
 * A small deterministic random source (mulberry32). The same seed gives the
 * same sequence, so a failing randomized test replays exactly.
 */
export class SeededRandom implements Random {
  /** The seed this instance started from (print it in tests). */
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A {@link Random} that returns the given values in a loop (for exact backoff assertions). */
export function sequenceRandom(values: readonly number[]): Random {
  let i = 0;
  return { next: () => values[i++ % values.length] ?? 0 };
}

/**
 * The seed for a randomized test: `SEED` from the environment when set (to
 * replay), otherwise `fallback`.
 */
export function testSeed(fallback: number): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.["SEED"];
  const parsed = env === undefined ? Number.NaN : Number(env);
  return Number.isFinite(parsed) ? parsed : fallback;
}
