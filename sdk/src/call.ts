import pRetry from "p-retry";
import type { CallKind } from "./core/call-state.js";
import { CallState, chooseEndpoint } from "./core/call-state.js";
import { Deadline } from "./core/deadline.js";
import { attemptTimeoutError, toSynodError } from "./core/error-table.js";
import { decideRetry } from "./core/retry-policy.js";
import { SynodError } from "./core/synod-error.js";
import type { ClientContext } from "./client-context.js";
import type { CallOptions } from "./model.js";
import type { Scheduler } from "./runtime.js";

/** One unary call as the retry layer sees it. */
export interface CallSpec<T> {
  /** RPC name, for events. */
  readonly method: string;
  /** How freely the call may be repeated (DESIGN §7). */
  readonly kind: CallKind;
  readonly options?: CallOptions | undefined;
  /** When set, every attempt goes to this peer URL. */
  readonly pinnedPeer?: string | undefined;
  /**
   * Background discovery (the peer refresh): at most one attempt per known
   * peer, no retry budget, no refresh of its own and no `giveUp` event.
   */
  readonly background?: boolean;
  /**
   * Runs one attempt against `peer`; must honour `signal` (aborted by the caller
   * or by the attempt timeout) and `timeoutMs` (what is left of the call's deadline).
   */
  run(peer: string, signal: AbortSignal, timeoutMs: number | undefined): Promise<T>;
}

/**
 * THE retry layer for unary calls (CONVENTIONS "Retrying happens in one layer").
 * p-retry drives the loop with its own delays switched off; the pure core
 * decides after every failure whether and when to try again, and which peer.
 * Each attempt is abandoned after `attemptTimeoutMs` (cut to the call's
 * deadline); the core classifies that as outcome unknown.
 */
export async function runCall<T>(ctx: ClientContext, spec: CallSpec<T>): Promise<T> {
  const deadline = new Deadline(ctx.options.clock, spec.options?.timeoutMs ?? ctx.options.timeoutMs);
  const state = new CallState(spec.pinnedPeer);
  const userSignal = spec.options?.signal;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(userSignal?.reason);
  if (userSignal?.aborted) onAbort();
  userSignal?.addEventListener("abort", onAbort, { once: true });
  try {
    const value = await pRetry(() => attempt(ctx, spec, state, deadline, controller.signal), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      signal: controller.signal,
      onFailedAttempt: ({ error }) => afterFailure(ctx, spec, state, deadline, error, controller.signal),
    });
    if (spec.background !== true) ctx.budget?.recordSuccess();
    return value;
  } catch (error) {
    const final = finalError(error, userSignal, state.lastPeer);
    if (spec.background !== true) {
      ctx.events.emit("giveUp", { method: spec.method, attempts: state.attempts, error: final });
    }
    throw final;
  } finally {
    userSignal?.removeEventListener("abort", onAbort);
  }
}

async function attempt<T>(
  ctx: ClientContext,
  spec: CallSpec<T>,
  state: CallState,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<T> {
  const peer = chooseEndpoint(state, ctx.endpoints, ctx.tracker);
  ctx.events.emit("attempt", { method: spec.method, kind: spec.kind, attempt: state.attempts, peer });
  const remainingMs = deadline.remainingMs();
  // The timer ends the attempt at its own limit or at the call's deadline,
  // whichever comes first (Deadline.attemptMs). It runs on the injected scheduler
  // (a manual clock in tests) and is cancelled when the attempt settles. The
  // transport still gets what is left of the call: the server's view is unchanged.
  const attemptMs = deadline.attemptMs(ctx.options.attemptTimeoutMs);
  const limit = limitAttempt(ctx.options.scheduler, signal, attemptMs, () => attemptTimeoutError(peer, attemptMs));
  try {
    return await spec.run(peer, limit.signal, Number.isFinite(remainingMs) ? Math.max(1, Math.ceil(remainingMs)) : undefined);
  } catch (error) {
    throw limit.timedOut() ? attemptTimeoutError(peer, attemptMs, error) : toSynodError(error, peer);
  } finally {
    limit.dispose();
  }
}

/** The signal of one attempt: aborted by the call's signal at once, or by its own timer. */
interface AttemptLimit {
  readonly signal: AbortSignal;
  /** True when the timer, not the call, aborted the attempt. */
  timedOut(): boolean;
  /** Cancels the timer and unhooks from the call's signal; call once the attempt settled. */
  dispose(): void;
}

function limitAttempt(
  scheduler: Scheduler,
  callSignal: AbortSignal,
  attemptMs: number,
  timeoutReason: () => Error,
): AttemptLimit {
  const controller = new AbortController();
  let timedOut = false;
  const onCallAbort = (): void => controller.abort(callSignal.reason);
  if (callSignal.aborted) onCallAbort();
  callSignal.addEventListener("abort", onCallAbort, { once: true });
  const cancelTimer = scheduler.after(attemptMs, () => {
    if (controller.signal.aborted) return;
    timedOut = true;
    controller.abort(timeoutReason());
  });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      cancelTimer();
      callSignal.removeEventListener("abort", onCallAbort);
    },
  };
}

async function afterFailure<T>(
  ctx: ClientContext,
  spec: CallSpec<T>,
  state: CallState,
  deadline: Deadline,
  raw: Error,
  signal: AbortSignal,
): Promise<void> {
  const error = toSynodError(raw, state.lastPeer);
  if (signal.aborted) throw error;
  const { options } = ctx;
  const background = spec.background === true;
  const decision = decideRetry({
    kind: spec.kind,
    error,
    state,
    tracker: ctx.tracker,
    budget: background ? undefined : ctx.budget,
    deadline,
    backoff: options.backoff,
    random: options.random,
    maxRedirects: state.pinned === undefined ? options.maxRedirects : 0,
    maxAttempts: background ? ctx.endpoints.urls().length : undefined,
  });
  if (decision.action === "fail") throw decision.error;
  ctx.emitLeaderChange(decision.leaderChange);
  if (decision.action === "redirect") {
    const term = ctx.tracker.view().term;
    ctx.events.emit("redirect", { method: spec.method, from: state.lastPeer ?? "", to: decision.peer, term });
    state.redirectTo = decision.peer;
    return;
  }
  announceBackoff(ctx, spec.method, state, error, decision.delayMs, decision.leaderLost, background);
  await ctx.options.scheduler.sleep(decision.delayMs, signal);
}

/** Events and a peer refresh before a backoff (DESIGN §7: failover, backoff, peers). */
function announceBackoff(
  ctx: ClientContext,
  method: string,
  state: CallState,
  error: SynodError,
  delayMs: number,
  leaderLost: boolean,
  background: boolean,
): void {
  const peer = state.lastPeer ?? "";
  if (leaderLost) ctx.events.emit("failover", { from: peer, to: "", term: ctx.tracker.view().term });
  // Pushback and a full disk come from a live leader: no reason to look for another.
  if (!background && error.kind !== "overloaded" && error.kind !== "storageFull") ctx.requestRefresh();
  ctx.events.emit("backoff", { method, delayMs, attempt: state.attempts, reason: error.kind, peer });
}

/** The error a failed call rejects with: always a SynodError; `cancelled` when the caller aborted. */
function finalError(error: unknown, userSignal: AbortSignal | undefined, peer: string | undefined): SynodError {
  if (userSignal?.aborted) {
    if (error instanceof SynodError && error.kind === "cancelled") return error;
    return new SynodError({
      kind: "cancelled",
      message: "the call was cancelled",
      failure: "fatal",
      retryable: false,
      peer,
      cause: userSignal.reason,
    });
  }
  return toSynodError(error, peer);
}
