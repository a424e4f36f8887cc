/**
 * `events {name?, method?, atLeast?, timeoutMs?}`: the events the client under test
 * reported so far (driver-contract.ts `DriverEvents`), oldest first, optionally of
 * one name and/or one RPC method. On a live cluster an event with a `peer` also gets
 * `node`, the id of the node at that URL, so a case can fault the node a listener is
 * connected to. With `atLeast`, first waits (woken by every driver message, no
 * polling) until that many match: the contract does not order an event before the
 * reply of the request that caused it, so a case asks for an event this way rather
 * than right after the request.
 */
import type { RecordedEvent } from "../driver/driver-process.js";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { clientSession } from "./client-session.js";

/** Default wait of `atLeast`, ms. */
export const eventsWaitDefaultMs = 10_000;

/** One event in an outcome. */
interface EventView {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly atMs: number;
  readonly node?: string;
}

const count = (v: unknown, arg: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  throw new Error(`events: ${arg} must be a non-negative integer, got ${JSON.stringify(v)}`);
};

function view(e: RecordedEvent, ctx: CaseContext): EventView {
  const cluster = ctx.case.cluster !== undefined ? ctx.cluster() : undefined;
  const node = cluster !== undefined && typeof e.data.peer === "string" ? cluster.nodeAt(e.data.peer) : undefined;
  return { name: e.name, data: e.data, atMs: e.atMs, ...(node !== undefined ? { node } : {}) };
}

/**
 * → `{events: [{name, data, atMs, node?}], count, last?}`; with `atLeast` not reached
 * within `timeoutMs` (default {@link eventsWaitDefaultMs}), `{error: {message, …the same}}`.
 */
export const eventsOp: OpHandler = async (a, ctx) => {
  const driver = clientSession(ctx).driver;
  const atLeast = count(a.atLeast, "atLeast", 0);
  const timeoutMs = count(a.timeoutMs, "timeoutMs", eventsWaitDefaultMs);
  const selected = (): readonly RecordedEvent[] =>
    driver.events().filter((e) => (a.name === undefined || e.name === a.name) && (a.method === undefined || e.data.method === a.method));
  const reached = atLeast === 0 || (await driver.waitFor(() => selected().length >= atLeast, timeoutMs, ctx.signal));
  const events = selected().map((e) => view(e, ctx));
  const last = events.at(-1);
  const summary = { events, count: events.length, ...(last !== undefined ? { last } : {}) };
  if (!reached) return { error: { message: `only ${events.length} of ${atLeast} matching event(s) within ${timeoutMs} ms`, ...summary } };
  return { ok: summary };
};
