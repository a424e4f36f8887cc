/**
 * What a listener delivered, as `awaitListen` reports it: the entries, the cursor,
 * and whether the batches form one contiguous, duplicate-free stream (DESIGN §7: a
 * listener never yields a gap, a duplicate or an out-of-order entry). The stream is
 * judged by the shared checker's committed-log-free half (checkStreamContinuity), the
 * same rules `checkClientHistory` later applies together with the committed log.
 */
import { checkStreamContinuity, type ListenObservation } from "../checkers/check-listener.js";
import type { ClientErrorJson, DriverBatch } from "../driver/driver-contract.js";
import type { ListenerRecord } from "../driver/driver-process.js";

/** Problems spelled out in a summary; the rest are counted. */
const problemsMax = 10;

/** The `ok` of `awaitListen`. 64-bit values are decimal strings. */
export interface ListenerSummary {
  /** Batches received, heartbeats included. */
  readonly batches: number;
  readonly entries: readonly { readonly seq: string; readonly id: string }[];
  readonly seqs: readonly string[];
  /** The highest `throughSeq` delivered, or the start cursor before any batch. */
  readonly throughSeq: string;
  readonly ended: boolean;
  readonly endError?: ClientErrorJson;
  /**
   * True when the first batch starts at the start cursor, every batch starts where the
   * previous one ended, and each batch carries exactly the seqs of its range in order,
   * none twice (the suite's listeners use no filters), so no seq is skipped or repeated.
   */
  readonly contiguous: boolean;
  /** Why `contiguous` is false (at most ten, then a count). */
  readonly problems: readonly string[];
}

/** A driver's batches as the history checkers take them (seqs as bigints). */
export function listenObservations(batches: readonly DriverBatch[]): ListenObservation[] {
  return batches.map((b) => ({ afterSeq: BigInt(b.afterSeq), throughSeq: BigInt(b.throughSeq), entries: b.entries.map((e) => ({ id: e.id, seq: BigInt(e.seq) })) }));
}

/** The highest seq a listener's batches cover so far. */
export function listenerThroughSeq(record: ListenerRecord): bigint {
  let through = record.startAfterSeq;
  for (const b of record.batches) if (BigInt(b.throughSeq) > through) through = BigInt(b.throughSeq);
  return through;
}

/** Summarizes a listener's batches. */
export function summarizeListener(record: ListenerRecord): ListenerSummary {
  const problems = checkStreamContinuity(listenObservations(record.batches), { startAfterSeq: record.startAfterSeq });
  const entries = record.batches.flatMap((b) => b.entries.map((e) => ({ seq: e.seq, id: e.id })));
  const shown = problems.length > problemsMax ? [...problems.slice(0, problemsMax), `… and ${problems.length - problemsMax} more`] : problems;
  return {
    batches: record.batches.length,
    entries,
    seqs: entries.map((e) => e.seq),
    throughSeq: listenerThroughSeq(record).toString(),
    ended: record.ended,
    ...(record.endError !== undefined ? { endError: record.endError } : {}),
    contiguous: problems.length === 0,
    problems: shown,
  };
}
