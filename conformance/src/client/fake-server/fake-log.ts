/**
 * The one log every fake server of a case shares, for `ok: auto` answers: Append
 * assigns dense seqs 1, 2, 3, … and deduplicates by entry id (a known id returns its
 * original seq with `duplicate: true`, as a Synod leader does, DESIGN §3), Read pages
 * through it. It is what lets a case see that a retried append was applied once.
 */
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { EntrySchema, type Entry, type EntryInput } from "@synod/proto/entry";

/** The answer for one appended entry. */
export interface FakeAppendResult {
  readonly id: string;
  readonly seq: bigint;
  readonly duplicate: boolean;
}

/** One page of the log, as ReadResponse carries it. */
export interface FakeLogPage {
  readonly entries: Entry[];
  readonly throughSeq: bigint;
  readonly commitSeq: bigint;
  readonly hasMore: boolean;
}

/** Most entries a Read page holds (hub.proto ReadRequest.limit). */
export const fakeReadPageMax = 1000;
/** Page size when a Read asks for 0. */
export const fakeReadPageDefault = 100;

/** The shared, in-memory, committed-only log of a case's fake servers. */
export class FakeLog {
  readonly #entries: Entry[] = [];
  readonly #seqById = new Map<string, bigint>();

  /** The last seq (0 when empty). */
  get lastSeq(): bigint {
    return BigInt(this.#entries.length);
  }

  /**
   * Appends a batch in order; ids already present (also earlier in the same batch)
   * are not appended again and return their original seq.
   * @param term stamped on new entries.
   */
  append(inputs: readonly EntryInput[], origin: string, term: bigint): FakeAppendResult[] {
    return inputs.map((input) => {
      const known = this.#seqById.get(input.id);
      if (known !== undefined) return { id: input.id, seq: known, duplicate: true };
      const seq = this.lastSeq + 1n;
      this.#entries.push(
        create(EntrySchema, {
          id: input.id,
          type: input.type,
          content: input.content,
          meta: { ...input.meta },
          createdAt: input.createdAt,
          seq,
          origin,
          term,
          committedAt: timestampNow(),
        }),
      );
      this.#seqById.set(input.id, seq);
      return { id: input.id, seq, duplicate: false };
    });
  }

  /** The entry with this id, if appended. */
  byId(id: string): Entry | undefined {
    const seq = this.#seqById.get(id);
    return seq === undefined ? undefined : this.#entries[Number(seq) - 1];
  }

  /**
   * Entries after `afterSeq`, at most `limit` (0 means {@link fakeReadPageDefault},
   * capped at {@link fakeReadPageMax}), filtered by type and origin when those lists
   * are not empty. `throughSeq` covers skipped (filtered) seqs too, as ReadResponse does.
   */
  page(afterSeq: bigint, limit: number, types: readonly string[] = [], origins: readonly string[] = []): FakeLogPage {
    const size = Math.min(limit === 0 ? fakeReadPageDefault : limit, fakeReadPageMax);
    const start = afterSeq < this.lastSeq ? Number(afterSeq) : this.#entries.length;
    const window = this.#entries.slice(start, start + size);
    const throughSeq = window.at(-1)?.seq ?? (afterSeq > this.lastSeq ? afterSeq : this.lastSeq);
    return {
      entries: window.filter((e) => (types.length === 0 || types.includes(e.type)) && (origins.length === 0 || origins.includes(e.origin))),
      throughSeq,
      commitSeq: this.lastSeq,
      hasMore: throughSeq < this.lastSeq,
    };
  }

  /** Every entry as `{seq, id}`, in seq order (for reports and the `requests` operation). */
  snapshot(): { seq: string; id: string }[] {
    return this.#entries.map((e) => ({ seq: e.seq.toString(), id: e.id }));
  }
}
