/**
 * `start` and `await`: run any operation in the background (an append while the
 * leader is killed, a register while a node is paused) and collect its outcome later.
 */
import type { Outcome } from "../case-format/case-types.js";
import type { OpHandler, OpTable } from "../runner/case-context.js";
import { clientSession, type BackgroundResult } from "./client-session.js";

/** Default wait of `await`, ms. */
const awaitTimeoutMs = 60_000;

/**
 * `start {as, call: {op, ...args}}`: starts the step `call` (any operation of the
 * case's side, `repeat` included; its references resolve when it starts) and returns
 * `{started: op}` at once.
 */
const start: OpHandler = async (a, ctx) => {
  const as = String(a.as);
  const call = a.call as { op?: unknown };
  if (typeof call?.op !== "string") throw new Error("start: call must be a step with an op");
  const s = clientSession(ctx);
  if (s.background.has(as)) throw new Error(`start: ${as} is already used in this case`);
  const key = `__start_${as}`;
  const result: Promise<BackgroundResult> = ctx
    .runSteps([{ ...call, save: key, expect: { $exists: true } }], `start(${as})`)
    .then(
      () => ({ outcome: ctx.bindings.lookup(key) as Outcome }),
      (err: unknown) => ({ thrown: err instanceof Error ? err : new Error(String(err)) }),
    );
  s.background.set(as, { op: call.op, result });
  return { ok: { started: call.op } };
};

/**
 * `await {as, timeoutMs?}`: waits for a started call and returns its outcome (matched
 * by this step's `expect`).
 * @throws Error when the call is still running after `timeoutMs`, or threw.
 */
const awaitOp: OpHandler = async (a, ctx) => {
  const as = String(a.as);
  const call = clientSession(ctx).background.get(as);
  if (!call) throw new Error(`await: nothing was started as ${as}`);
  const timeoutMs = typeof a.timeoutMs === "number" ? a.timeoutMs : awaitTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const result = await Promise.race([call.result, timedOut]).finally(() => clearTimeout(timer));
  if (result === "timeout") throw new Error(`await: ${as} (${call.op}) still runs after ${timeoutMs} ms`);
  if ("thrown" in result) throw new Error(`${as} (${call.op}) failed: ${result.thrown.message}`);
  return result.outcome;
};

/** The background operations. */
export const backgroundOps: OpTable = { start, await: awaitOp };
