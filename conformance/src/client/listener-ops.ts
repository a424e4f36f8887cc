/**
 * Listeners of the client under test: `listen` starts one in the driver, `awaitListen`
 * waits (event-driven, no polling) until it delivered through a seq or ended, and
 * `cancel` cancels it through the client's own cancellation.
 */
import type { OpHandler, OpTable } from "../runner/case-context.js";
import { clientSession } from "./client-session.js";
import { decimalArg, driverReplyTimeoutMs } from "./driver-call-ops.js";
import { listenerThroughSeq, summarizeListener } from "./listener-summary.js";

/** Default wait of `awaitListen`, ms. */
const awaitListenTimeoutMs = 20_000;

/** `listen {as, afterSeq?, heartbeatMs?}` → `{}` once the driver started the listener. */
const listen: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const as = String(a.as);
  const afterSeq = decimalArg(a.afterSeq, "afterSeq");
  s.driver.expectListener(as, BigInt(afterSeq ?? "0"));
  return s.driver.call("listen", { listener: as, ...(afterSeq !== undefined ? { afterSeq } : {}), ...(a.heartbeatMs !== undefined ? { heartbeatMs: a.heartbeatMs } : {}) }, driverReplyTimeoutMs);
};

/**
 * `awaitListen {as, throughSeq?, ended?, timeoutMs?}`: waits until the listener has
 * delivered through `throughSeq` and/or (with `ended: true`) has ended, then returns
 * its summary `{batches, entries, seqs, throughSeq, ended, endError?, contiguous,
 * problems}`. Without a condition it returns the summary at once. A listener that
 * ends before reaching `throughSeq`, or a timeout, gives `{error: {message, …summary}}`.
 */
const awaitListen: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const record = s.driver.listener(String(a.as));
  const want = decimalArg(a.throughSeq, "throughSeq");
  const wantEnd = a.ended === true;
  const reached = (): boolean => (want === undefined || listenerThroughSeq(record) >= BigInt(want)) && (!wantEnd || record.ended);
  const timeoutMs = typeof a.timeoutMs === "number" ? a.timeoutMs : awaitListenTimeoutMs;
  const done = await s.driver.waitFor(() => reached() || record.ended, timeoutMs, ctx.signal);
  const summary = summarizeListener(record);
  if (reached()) return { ok: summary };
  const goal = [want !== undefined ? `through seq ${want}` : "", wantEnd ? "to its end" : ""].filter(Boolean).join(" and ");
  const why = done ? "it ended first" : `not within ${timeoutMs} ms`;
  return { error: { message: `listener ${record.name} did not deliver ${goal}: ${why}`, ...summary } };
};

/** `cancel {as}` → `{elapsedMs}`: how long the driver took to end the listener and abort its RPC. */
const cancel: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const record = s.driver.listener(String(a.as));
  const t0 = performance.now();
  const outcome = await s.driver.call("cancel", { listener: record.name }, driverReplyTimeoutMs);
  if (!("ok" in outcome)) return outcome;
  if (!record.ended) throw new Error(`the driver answered cancel of ${record.name} before the listener's end message`);
  return { ok: { elapsedMs: Math.round(performance.now() - t0) } };
};

/** The listener operations. */
export const listenerOps: OpTable = { listen, awaitListen, cancel };
