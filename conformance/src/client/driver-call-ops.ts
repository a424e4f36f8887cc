/**
 * The client under test's unary calls as operations: `append`, `read`, `status`,
 * `register`. The outcome is the driver's reply: `{ok: …}` or `{error: {kind,
 * failure, retryable, code?, message, notLeader?}}` (driver-contract.ts).
 */
import { uint64Arg } from "../case-format/uint64-arg.js";
import type { DriverEntryInput } from "../driver/driver-contract.js";
import type { OpHandler, OpTable } from "../runner/case-context.js";
import type { SentEntry } from "./client-history.js";
import { clientSession } from "./client-session.js";

/**
 * How long the runner waits for a reply, ms. The client's own deadline (its
 * `timeoutMs`) ends a call long before; this only catches a driver that hangs.
 */
export const driverReplyTimeoutMs = 120_000;

/** The entry type used when a case does not name one (in the hub's default allow-list). */
const defaultEntryType = "task";

/**
 * A 64-bit argument as the contract's decimal string (cases may write a number).
 * @throws Error naming `field` for anything but an unsigned 64-bit integer (see {@link uint64Arg}).
 */
export function decimalArg(value: unknown, field: string): string | undefined {
  return uint64Arg(value, field)?.toString();
}

function optional(name: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [name]: value };
}

/**
 * `append {entries?: [{id?, type?, content?}], count?, type?, writeConcern?, timeoutMs?}`:
 * appends one batch. Entries without `content` get one unique within the case, so the
 * history check can tell a retried entry from a new one even when the client chose
 * the ids; `count: N` appends N such entries. Outcome `{results: [{id, seq, duplicate}]}`.
 */
const append: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const type = typeof a.type === "string" ? a.type : defaultEntryType;
  const given = Array.isArray(a.entries) ? (a.entries as Record<string, unknown>[]) : Array.from({ length: typeof a.count === "number" ? a.count : 1 }, (): Record<string, unknown> => ({}));
  const entries: DriverEntryInput[] = given.map((e) => ({
    ...(typeof e.id === "string" ? { id: e.id } : {}),
    type: typeof e.type === "string" ? e.type : type,
    content: typeof e.content === "string" ? e.content : s.history.uniqueContent(ctx.case.id),
  }));
  const sent: SentEntry[] = entries.map((e) => ({ id: e.id, content: e.content }));
  s.history.recordSent(sent);
  const outcome = await s.driver.call("append", { entries, ...optional("writeConcern", a.writeConcern), ...optional("timeoutMs", a.timeoutMs) }, driverReplyTimeoutMs);
  const problem = s.history.recordOutcome(sent, outcome);
  if (problem !== undefined) throw new Error(`the client broke the append contract: ${problem}`);
  return outcome;
};

/**
 * `appendSeries {calls, count?, type?, timeoutMs?}`: `calls` appends one after
 * another, each of `count` (default 1) generated entries, stopping at the first
 * error: a stream of writes to run in the background (`start`) while faults happen.
 * Outcome `{calls, acked, ids, seqs}`, or `{error: {at, error, calls, acked}}` where
 * `at` is the failed call's index.
 */
const appendSeries: OpHandler = async (a, ctx) => {
  const calls = typeof a.calls === "number" ? a.calls : 1;
  const ids: unknown[] = [];
  const seqs: unknown[] = [];
  for (let i = 0; i < calls; i++) {
    if (ctx.signal.aborted) throw new Error("appendSeries: the case ended");
    const outcome = await append({ count: a.count ?? 1, ...optional("type", a.type), ...optional("timeoutMs", a.timeoutMs) }, ctx);
    if (!("ok" in outcome)) return { error: { at: i, error: outcome.error, calls: i, acked: ids.length } };
    for (const r of (outcome.ok as { results: { id: unknown; seq: unknown }[] }).results) {
      ids.push(r.id);
      seqs.push(r.seq);
    }
  }
  return { ok: { calls, acked: ids.length, ids, seqs } };
};

/** `read {afterSeq?, limit?, timeoutMs?}` → `{entries: [{seq, id, type, content, origin, term}], throughSeq, commitSeq, hasMore}`. */
const read: OpHandler = async (a, ctx) =>
  clientSession(ctx).driver.call("read", { ...optional("afterSeq", decimalArg(a.afterSeq, "afterSeq")), ...optional("limit", a.limit), ...optional("timeoutMs", a.timeoutMs) }, driverReplyTimeoutMs);

/** `status {timeoutMs?}` → `{nodeId, role, term, leaderId, leaderUrl, commitSeq, hasQuorum, members}`. */
const status: OpHandler = async (a, ctx) => clientSession(ctx).driver.call("status", optional("timeoutMs", a.timeoutMs), driverReplyTimeoutMs);

/** `register {name, timeoutMs?}` → `{token, tokenId, name}`: a non-idempotent admin write. */
const register: OpHandler = async (a, ctx) =>
  clientSession(ctx).driver.call("register", { name: a.name, ...optional("timeoutMs", a.timeoutMs) }, driverReplyTimeoutMs);

/** The unary call operations. */
export const driverCallOps: OpTable = { append, appendSeries, read, status, register };
