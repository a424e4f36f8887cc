/**
 * What the client under test was asked to append and what it acknowledged, kept by
 * the `append` operation for `checkClientHistory` (DESIGN §9, invariants 5 and 6).
 */
import type { Outcome } from "../case-format/case-types.js";
import type { LoggedEntry } from "../checkers/logged-entry.js";

/** An entry the runner asked the client to append. */
export interface SentEntry {
  /** The id the case chose, or undefined when the client generates it. */
  readonly id: string | undefined;
  readonly content: string;
}

/** One case's append history. */
export class ClientHistory {
  readonly #sent: SentEntry[] = [];
  readonly #acked: LoggedEntry[] = [];
  #generated = 0;

  /** A content string no other entry of this case has: `<caseId> #<n>`. */
  uniqueContent(caseId: string): string {
    this.#generated += 1;
    return `${caseId} #${this.#generated}`;
  }

  /** Records a request before it is sent (it may commit even if the call fails). */
  recordSent(entries: readonly SentEntry[]): void {
    this.#sent.push(...entries);
  }

  /**
   * Records the outcome of an append.
   * @returns a reason when an `ok` outcome is malformed (wrong result count, bad seq), else undefined.
   */
  recordOutcome(entries: readonly SentEntry[], outcome: Outcome): string | undefined {
    if (!("ok" in outcome)) return undefined;
    const results = (outcome.ok as { results?: unknown }).results;
    if (!Array.isArray(results) || results.length !== entries.length) {
      return `append of ${entries.length} entries answered ${JSON.stringify(outcome.ok).slice(0, 200)}`;
    }
    for (const [i, r] of results.entries()) {
      const res = r as { id?: unknown; seq?: unknown };
      if (typeof res.id !== "string" || typeof res.seq !== "string" || !/^\d+$/.test(res.seq)) return `append result ${i} is malformed: ${JSON.stringify(r)}`;
      const asked = entries[i]?.id;
      if (asked !== undefined && asked !== res.id) return `append result ${i} has id ${res.id}, but the entry was sent with id ${asked}`;
      this.#acked.push({ id: res.id, seq: BigInt(res.seq) });
    }
    return undefined;
  }

  /** Every acknowledgement, in the order received. */
  acked(): readonly LoggedEntry[] {
    return this.#acked;
  }

  /** Every entry sent, in the order sent. */
  sent(): readonly SentEntry[] {
    return this.#sent;
  }
}
