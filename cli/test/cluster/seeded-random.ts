/**
 * A seeded random source for fault schedules and workloads, with the same shape as the
 * Raft core's `Random` (server/src/raft/random.ts), so one seed replays a whole run.
 */

/** A source of uniformly distributed integers. */
export interface Random {
  /** An integer in `[0, maxExclusive)`; `maxExclusive` must be a positive safe integer. */
  nextInt(maxExclusive: number): number;
}

/** A deterministic generator (mulberry32, 32-bit arithmetic only). Not for secrets. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    nextInt(maxExclusive: number): number {
      if (!(maxExclusive >= 1)) throw new RangeError(`nextInt: bad bound ${maxExclusive}`);
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * maxExclusive);
    },
  };
}

/** The seed from `SEED=` in the environment, else a fresh one; print it so a failure replays. */
export function seedFromEnv(): number {
  const fromEnv = process.env.SEED;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (!Number.isSafeInteger(n)) throw new RangeError(`SEED=${fromEnv} is not an integer`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
