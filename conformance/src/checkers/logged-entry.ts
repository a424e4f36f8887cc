/**
 * The shape every history checker works on: an entry id and the seq it holds
 * in a log (DESIGN §3). Seqs are `bigint`, as on the wire.
 */

/** One entry as a history records it: its idempotency key and its dense seq. */
export interface LoggedEntry {
  /** The client-chosen entry id (idempotency key). */
  readonly id: string;
  /** The dense position among data entries, from 1. */
  readonly seq: bigint;
}

/** At most this many violations of one kind are spelled out; the rest are counted. */
export const violationsPerKindMax = 20;

/**
 * Collects violation messages, keeping at most {@link violationsPerKindMax} per kind
 * so a badly broken history stays readable. `list()` appends a summary line per kind
 * that overflowed.
 */
export class ViolationList {
  private readonly messages: string[] = [];
  private readonly counts = new Map<string, number>();

  /** Records one violation of `kind`. */
  add(kind: string, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= violationsPerKindMax) this.messages.push(message);
  }

  /** The recorded messages, then one line per kind with how many were left out. */
  list(): string[] {
    const out = [...this.messages];
    for (const [kind, n] of this.counts) {
      if (n > violationsPerKindMax) out.push(`... and ${n - violationsPerKindMax} more ${kind} violations`);
    }
    return out;
  }
}
