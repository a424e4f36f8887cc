/**
 * The history check of a live client case (DESIGN §9): given what the client under
 * test was asked to do, what it acknowledged and what its listeners delivered, and
 * the committed logs of the cluster afterwards, lists every violation.
 */
import { checkAcknowledged } from "../checkers/check-acknowledged.js";
import { checkListener, type ListenObservation } from "../checkers/check-listener.js";
import { checkLogsAgree } from "../checkers/check-logs-agree.js";
import { ViolationList, type LoggedEntry } from "../checkers/logged-entry.js";
import type { SentEntry } from "./client-history.js";

/** A committed entry as the check needs it. */
export interface CommittedEntry extends LoggedEntry {
  readonly content: string;
}

/** One listener of the client under test. */
export interface ObservedListener {
  readonly name: string;
  readonly startAfterSeq: bigint;
  readonly batches: readonly ListenObservation[];
}

/** Everything {@link checkClientHistory} looks at. */
export interface ClientHistoryInput {
  /** Committed log per running node, each from seq 1 in order. */
  readonly logs: ReadonlyMap<string, readonly CommittedEntry[]>;
  readonly sent: readonly SentEntry[];
  readonly acked: readonly LoggedEntry[];
  readonly listeners: readonly ObservedListener[];
}

/**
 * Checks, against the longest committed log:
 * - the nodes' logs agree (checkLogsAgree: one order, no id twice, dense seqs);
 * - every acknowledged append is present exactly once at its seq (checkAcknowledged);
 * - every entry the runner sent once is in the log at most once, by content. This is
 *   what catches a client that retries with a fresh id: each copy has its own id, so
 *   the id checks cannot see it, but the content the runner made unique appears twice;
 * - every listener was gap-free, duplicate-free and committed-only (checkListener).
 * @returns readable violations, each prefixed with what it is about; empty when correct.
 */
export function checkClientHistory(input: ClientHistoryInput): string[] {
  const out: string[] = [];
  const agreement = checkLogsAgree(input.logs);
  out.push(...agreement.violations.map((v) => `logs: ${v}`));
  const finalLog = longest(input.logs);
  out.push(...checkAcknowledged(input.acked, finalLog).map((v) => `acknowledged: ${v}`));
  out.push(...checkSentOnce(input.sent, finalLog).map((v) => `exactly once: ${v}`));
  for (const l of input.listeners) {
    out.push(...checkListener(l.batches, finalLog, { startAfterSeq: l.startAfterSeq }).map((v) => `listener ${l.name}: ${v}`));
  }
  return out;
}

function longest(logs: ReadonlyMap<string, readonly CommittedEntry[]>): readonly CommittedEntry[] {
  let best: readonly CommittedEntry[] = [];
  for (const log of logs.values()) if (log.length > best.length) best = log;
  return best;
}

/** Entries whose content was sent exactly once must not be committed more than once. */
function checkSentOnce(sent: readonly SentEntry[], finalLog: readonly CommittedEntry[]): string[] {
  const v = new ViolationList();
  const timesSent = new Map<string, number>();
  for (const s of sent) timesSent.set(s.content, (timesSent.get(s.content) ?? 0) + 1);
  const committed = new Map<string, CommittedEntry[]>();
  for (const e of finalLog) {
    if (timesSent.get(e.content) !== 1) continue;
    const list = committed.get(e.content);
    if (list) list.push(e);
    else committed.set(e.content, [e]);
  }
  for (const [content, copies] of committed) {
    if (copies.length > 1) {
      v.add("duplicated", `the entry "${content}" was sent once but is committed ${copies.length} times (${copies.map((c) => `${c.id}@${c.seq}`).join(", ")}): a retry used a new id`);
    }
  }
  return v.list();
}
