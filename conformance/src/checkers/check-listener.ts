/**
 * Invariant 7 (DESIGN §9): a listener sees committed entries only, in order, with no
 * gaps and no duplicates. Works on the raw Listen messages a client received
 * (DESIGN §6: every message covers the contiguous range `(afterSeq, throughSeq]`),
 * across reconnects that resume after the last `throughSeq`.
 *
 * Two entry points share one walk over the messages: {@link checkStreamContinuity}
 * checks what the messages show on their own (while a case still runs, with no
 * committed log to compare with), {@link checkListener} adds the comparison with the
 * final committed log.
 */
import { ViolationList, type LoggedEntry } from "./logged-entry.js";

/** One Listen message as a listener recorded it. */
export interface ListenObservation {
  /** Exclusive lower end of the range the message covers. */
  readonly afterSeq: bigint;
  /** Inclusive upper end; equal to `afterSeq` for a heartbeat. */
  readonly throughSeq: bigint;
  /** The entries the message carried, in the order received. */
  readonly entries: readonly LoggedEntry[];
}

/** Options of {@link checkListener} and {@link checkStreamContinuity}. */
export interface ListenerCheckOptions {
  /** The cursor the listener first asked for (`after_seq`); default `0n`. */
  readonly startAfterSeq?: bigint;
  /**
   * True (default) when the listener used no filters, so every seq in a message's
   * range must be delivered. With filters, entries may be missing from a range.
   */
  readonly unfiltered?: boolean;
}

/**
 * Checks one listener's messages, in the order received, on their own: consecutive
 * messages chain (a message's `afterSeq` is the previous `throughSeq`), each range is
 * well formed, its entries lie in it in seq order, no seq comes twice, and without
 * filters every seq of a range is delivered. Whether the entries were committed
 * needs the committed log: see {@link checkListener}.
 *
 * @param observed the messages of one listener, or of a chain of listeners each
 *   resuming where the previous one stopped, in the order received
 * @returns readable violations; empty when the stream is gap-free and duplicate-free
 */
export function checkStreamContinuity(observed: readonly ListenObservation[], opts: ListenerCheckOptions = {}): string[] {
  return walk(observed, opts, undefined);
}

/**
 * Checks one listener's messages, in the order received, against the final
 * committed log (which holds every entry ever committed): everything
 * {@link checkStreamContinuity} checks, plus every range ends at or before the last
 * committed seq and every entry is the committed one at its seq.
 *
 * @returns readable violations; empty when the listener's view is correct
 */
export function checkListener(observed: readonly ListenObservation[], committedLog: readonly LoggedEntry[], opts: ListenerCheckOptions = {}): string[] {
  const committed = new Map<bigint, string>(committedLog.map((e) => [e.seq, e.id]));
  const lastCommitted = committedLog.reduce((m, e) => (e.seq > m ? e.seq : m), 0n);
  return walk(observed, opts, { committed, lastCommitted });
}

/** The committed log, for {@link checkListener}. */
interface CommittedView {
  readonly committed: ReadonlyMap<bigint, string>;
  readonly lastCommitted: bigint;
}

function walk(observed: readonly ListenObservation[], opts: ListenerCheckOptions, log: CommittedView | undefined): string[] {
  const v = new ViolationList();
  const ctx: EntryContext = { log, seen: new Set<bigint>(), unfiltered: opts.unfiltered ?? true };
  let cursor = opts.startAfterSeq ?? 0n;
  observed.forEach((m, i) => {
    const at = `message ${i + 1} (${m.afterSeq}, ${m.throughSeq}]`;
    if (m.throughSeq < m.afterSeq) v.add("bad-range", `${at}: range ends before it starts`);
    if (m.afterSeq > cursor) v.add("gap", `${at}: starts after ${cursor}, so seqs ${cursor + 1n}..${m.afterSeq} were skipped`);
    if (m.afterSeq < cursor) v.add("overlap", `${at}: starts before the cursor ${cursor}, so it covers seqs already delivered`);
    if (log && m.throughSeq > log.lastCommitted) v.add("uncommitted", `${at}: reaches past the last committed seq ${log.lastCommitted}`);
    checkEntries(m, at, ctx, v);
    if (m.throughSeq > cursor) cursor = m.throughSeq;
  });
  return v.list();
}

interface EntryContext {
  readonly log: CommittedView | undefined;
  readonly seen: Set<bigint>;
  readonly unfiltered: boolean;
}

function checkEntries(m: ListenObservation, at: string, ctx: EntryContext, v: ViolationList): void {
  let prev = m.afterSeq;
  for (const e of m.entries) {
    if (e.seq <= prev) v.add("order", `${at}: entry ${e.id}@${e.seq} is out of order (after seq ${prev})`);
    else if (ctx.unfiltered && e.seq !== prev + 1n) v.add("gap", `${at}: seqs ${prev + 1n}..${e.seq - 1n} missing before ${e.id}@${e.seq}`);
    if (e.seq <= m.afterSeq || e.seq > m.throughSeq) v.add("out-of-range", `${at}: entry ${e.id}@${e.seq} lies outside the message's range`);
    if (ctx.seen.has(e.seq)) v.add("duplicate", `${at}: seq ${e.seq} (${e.id}) delivered again`);
    ctx.seen.add(e.seq);
    if (ctx.log) {
      const id = ctx.log.committed.get(e.seq);
      if (id === undefined) v.add("uncommitted", `${at}: entry ${e.id}@${e.seq} is not in the committed log`);
      else if (id !== e.id) v.add("wrong-entry", `${at}: seq ${e.seq} delivered as ${e.id} but the committed log has ${id}`);
    }
    if (e.seq > prev) prev = e.seq;
  }
  if (ctx.unfiltered && prev < m.throughSeq && m.throughSeq >= m.afterSeq) v.add("gap", `${at}: seqs ${prev + 1n}..${m.throughSeq} missing at the end of the range`);
}
