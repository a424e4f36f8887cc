/**
 * What one listener can check from its own messages alone, with no committed log to
 * compare with (DESIGN §6; protocol.md, "Listen messages"): consecutive messages
 * chain (`after_seq` is the previous `through_seq`), each range is well formed, the
 * entries lie in their range in seq order, and without filters every seq of a range
 * is delivered. Whether the entries were committed is checkHistory's job.
 */
import type { ListenObservation } from "../checkers/check-listener.js";
import { ViolationList } from "../checkers/logged-entry.js";

/**
 * @param messages the messages of one listener (or of a chain of listeners, each
 *   resuming where the previous one stopped), in the order received
 * @param startAfterSeq the cursor the first listener asked for
 * @param unfiltered true when no type or origin filter was used, so ranges must be dense
 * @returns readable violations; empty when the stream is gap-free and duplicate-free
 */
export function streamContinuity(messages: readonly ListenObservation[], startAfterSeq: bigint, unfiltered: boolean): string[] {
  const v = new ViolationList();
  let cursor = startAfterSeq;
  messages.forEach((m, i) => {
    const at = `message ${i + 1} (${m.afterSeq}, ${m.throughSeq}]`;
    if (m.throughSeq < m.afterSeq) v.add("bad-range", `${at}: range ends before it starts`);
    if (m.afterSeq > cursor) v.add("gap", `${at}: starts after the cursor ${cursor}, so seqs ${cursor + 1n}..${m.afterSeq} were skipped`);
    if (m.afterSeq < cursor) v.add("overlap", `${at}: starts before the cursor ${cursor}, so it covers seqs already delivered`);
    let prev = m.afterSeq;
    for (const e of m.entries) {
      if (e.seq <= m.afterSeq || e.seq > m.throughSeq) v.add("out-of-range", `${at}: entry ${e.id}@${e.seq} lies outside the range`);
      else if (e.seq <= prev) v.add("order", `${at}: entry ${e.id}@${e.seq} is out of order (after seq ${prev})`);
      else if (unfiltered && e.seq !== prev + 1n) v.add("gap", `${at}: seqs ${prev + 1n}..${e.seq - 1n} missing before ${e.id}@${e.seq}`);
      if (e.seq > prev) prev = e.seq;
    }
    if (unfiltered && prev < m.throughSeq) v.add("gap", `${at}: seqs ${prev + 1n}..${m.throughSeq} missing at the end of the range`);
    if (m.throughSeq > cursor) cursor = m.throughSeq;
  });
  return v.list();
}
