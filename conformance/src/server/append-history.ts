/**
 * What the server acknowledged during one case, for `checkHistory`: every append
 * result a reference client received, by write concern. Only `MAJORITY` results are
 * final (protocol.md, "Write concerns"); a `LEADER` result's seq may change.
 */
import type { LoggedEntry } from "../checkers/logged-entry.js";
import type { CaseContext } from "../runner/case-context.js";

/** One acknowledged entry: its id, the seq in the reply, and the write concern used. */
export interface AcknowledgedEntry extends LoggedEntry {
  readonly concern: "majority" | "leader";
}

/** The acknowledgements of one case run, in the order received. */
export class AppendHistory {
  readonly #acks: AcknowledgedEntry[] = [];

  /** Records the results of one successful Append reply. */
  record(results: readonly { readonly id: string; readonly seq: bigint }[], concern: AcknowledgedEntry["concern"]): void {
    for (const r of results) this.#acks.push({ id: r.id, seq: r.seq, concern });
  }

  /** The `MAJORITY` acknowledgements: these must be in the final log, once, at their seq (DESIGN §9, invariant 5). */
  majority(): LoggedEntry[] {
    return this.#acks.filter((a) => a.concern === "majority").map(({ id, seq }) => ({ id, seq }));
  }

  /** Every acknowledgement. */
  all(): readonly AcknowledgedEntry[] {
    return this.#acks;
  }
}

const stateKey = "server:append-history";

/** The case's history, created on first use. */
export function appendHistoryOf(ctx: CaseContext): AppendHistory {
  let h = ctx.state.get(stateKey) as AppendHistory | undefined;
  if (!h) {
    h = new AppendHistory();
    ctx.state.set(stateKey, h);
  }
  return h;
}
