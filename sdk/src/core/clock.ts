/**
 * The time source of the decision core. The core never reads a clock itself
 * (CONVENTIONS "Pure folders"); callers inject one so tests can use a manual clock.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  nowMs(): number;
}

/** The randomness source of the decision core (jitter, start peer). */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}
