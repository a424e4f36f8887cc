/**
 * Injected randomness for the Raft core. The core never calls `Math.random`;
 * the runtime passes a source, and the simulator passes a seeded one so a whole
 * cluster replays exactly from one seed (DESIGN §5).
 */

/** A source of uniformly distributed integers. */
export interface Random {
  /** An integer in `[0, maxExclusive)`. `maxExclusive` must be a positive safe integer. */
  nextInt(maxExclusive: number): number;
}

/**
 * A small seeded generator (mulberry32). Deterministic across platforms because it
 * uses only 32-bit integer arithmetic. Not for secrets.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextInt(maxExclusive: number): number {
      if (!(maxExclusive >= 1)) throw new Error(`nextInt: bad bound ${maxExclusive}`);
      return Math.floor((next32() / 4294967296) * maxExclusive);
    },
  };
}
