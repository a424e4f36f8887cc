/**
 * A position in the committed log of data entries: 1, 2, 3, … (DESIGN §3).
 * Branded so a `Seq` is never confused with a Raft index or a term; read it
 * like any `bigint`, and build one with {@link asSeq}.
 */
export type Seq = bigint & { readonly __seq: true };

/** A Raft term: grows by one at every election (DESIGN §5). */
export type Term = bigint & { readonly __term: true };

/**
 * Brands a `bigint` as a {@link Seq}.
 * @throws RangeError when the value is negative (sequences are unsigned 64-bit).
 */
export function asSeq(value: bigint): Seq {
  if (value < 0n) throw new RangeError(`seq must be >= 0, got ${value}`);
  return value as Seq;
}

/**
 * Brands a `bigint` as a {@link Term}.
 * @throws RangeError when the value is negative.
 */
export function asTerm(value: bigint): Term {
  if (value < 0n) throw new RangeError(`term must be >= 0, got ${value}`);
  return value as Term;
}
