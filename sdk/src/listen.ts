import { create } from "@bufbuild/protobuf";
import { ListenRequestSchema, type ListenResponse } from "@synod/proto/hub";
import { backoffDelayMs } from "./core/backoff.js";
import { CallState, chooseEndpoint } from "./core/call-state.js";
import { toSynodError } from "./core/error-table.js";
import { ListenCursor, silenceLimitMs } from "./core/listen-cursor.js";
import { asSeq, asTerm } from "./core/seq.js";
import { SynodError } from "./core/synod-error.js";
import type { ClientContext } from "./client-context.js";
import { fromWireEntry } from "./convert.js";
import type { ListenBatch, ListenOptions } from "./model.js";
import type { Scheduler } from "./runtime.js";

/** Heartbeat periods the server accepts (hub.proto ListenRequest.heartbeat_ms). */
const HEARTBEAT_MIN_MS = 100;
const HEARTBEAT_MAX_MS = 60_000;

/**
 * A listen stream that survives disconnects and failovers (DESIGN §7): it
 * resumes after the last covered seq, reconnects with jittered backoff within
 * the retry budget, reconnects when the server goes silent for too many
 * heartbeat periods, and cancels the RPC whenever the iteration ends.
 */
export async function* listenBatches(ctx: ClientContext, options: ListenOptions = {}): AsyncGenerator<ListenBatch> {
  const cursor = new ListenCursor(options.afterSeq ?? 0n);
  const heartbeatMs = clampHeartbeat(options.heartbeatMs ?? ctx.options.heartbeatMs);
  const state = new CallState();
  const outer = new AbortController();
  const userSignal = options.signal;
  const onAbort = (): void => outer.abort(userSignal?.reason);
  if (userSignal?.aborted) onAbort();
  userSignal?.addEventListener("abort", onAbort, { once: true });
  let failures = 0;
  try {
    for (;;) {
      throwIfCancelled(userSignal, state.lastPeer);
      const peer = chooseEndpoint(state, ctx.endpoints, ctx.tracker);
      ctx.events.emit("attempt", { method: "Listen", kind: "listen", attempt: state.attempts, peer });
      if (state.attempts > 1) ctx.events.emit("resume", { afterSeq: cursor.seq, peer });
      let error: SynodError;
      try {
        for await (const batch of streamFrom(ctx, peer, cursor, heartbeatMs, options, outer.signal)) {
          failures = 0;
          state.avoid.clear();
          yield batch;
        }
        error = ended(peer);
      } catch (caught) {
        throwIfCancelled(userSignal, peer);
        error = toSynodError(caught, peer);
      }
      failures += 1;
      try {
        await reconnectPause(ctx, error, failures, state, outer.signal);
      } catch (paused) {
        throwIfCancelled(userSignal, state.lastPeer);
        throw paused;
      }
    }
  } finally {
    outer.abort();
    userSignal?.removeEventListener("abort", onAbort);
  }
}

/** One connection: yields delivered batches; the RPC is aborted whenever this generator ends. */
async function* streamFrom(
  ctx: ClientContext,
  peer: string,
  cursor: ListenCursor,
  heartbeatMs: number,
  options: ListenOptions,
  outerSignal: AbortSignal,
): AsyncGenerator<ListenBatch> {
  const rpc = new AbortController();
  const onOuter = (): void => rpc.abort(outerSignal.reason);
  outerSignal.addEventListener("abort", onOuter, { once: true });
  const limitMs = silenceLimitMs(heartbeatMs, ctx.options.silenceFactor);
  const watchdog = new SilenceWatchdog(ctx.options.scheduler, limitMs, () => rpc.abort());
  const request = create(ListenRequestSchema, {
    afterSeq: cursor.seq,
    types: [...(options.types ?? [])],
    origins: [...(options.origins ?? [])],
    heartbeatMs,
  });
  try {
    watchdog.arm();
    const stream = ctx.hub(peer).listen(request, { signal: rpc.signal, headers: ctx.headers() });
    for await (const message of stream) {
      watchdog.arm();
      const batch = accept(ctx, cursor, message, peer);
      if (batch === undefined) continue;
      // A slow consumer is not a silent server: pause the watchdog while it holds the batch.
      watchdog.stop();
      yield batch;
      watchdog.arm();
    }
  } catch (error) {
    if (watchdog.fired) throw silenceError(peer, limitMs, error);
    throw error;
  } finally {
    watchdog.stop();
    // Leaving a for-await does not cancel a Connect stream: abort it (CONVENTIONS).
    rpc.abort();
    outerSignal.removeEventListener("abort", onOuter);
  }
}

/** Aborts a stream that stays quiet longer than the limit; re-armed by every message. */
class SilenceWatchdog {
  fired = false;
  #cancel: () => void = () => undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly limitMs: number,
    private readonly onSilent: () => void,
  ) {}

  arm(): void {
    this.#cancel();
    this.#cancel = this.scheduler.after(this.limitMs, () => {
      this.fired = true;
      this.onSilent();
    });
  }

  stop(): void {
    this.#cancel();
  }
}

function accept(ctx: ClientContext, cursor: ListenCursor, m: ListenResponse, peer: string): ListenBatch | undefined {
  const verdict = cursor.accept({ afterSeq: m.afterSeq, throughSeq: m.throughSeq, entrySeqs: m.entries.map((e) => e.seq) }, peer);
  if (m.leaderId !== "") ctx.observeLeader(m.leaderId, "", m.term);
  if (verdict === "duplicate") return undefined;
  return {
    afterSeq: asSeq(m.afterSeq),
    throughSeq: asSeq(m.throughSeq),
    entries: m.entries.map(fromWireEntry),
    commitSeq: asSeq(m.commitSeq),
    leaderId: m.leaderId,
    term: asTerm(m.term),
  };
}

/**
 * Waits before reconnecting: fatal errors end the listener; otherwise a
 * full-jitter backoff (at least the server's pushback), and a retry-budget
 * token, which a listener waits for rather than failing: one stream cannot storm.
 */
async function reconnectPause(
  ctx: ClientContext,
  error: SynodError,
  failures: number,
  state: CallState,
  signal: AbortSignal,
): Promise<void> {
  if (error.failure === "fatal") {
    ctx.events.emit("giveUp", { method: "Listen", attempts: state.attempts, error });
    throw error;
  }
  const peer = state.lastPeer ?? "";
  state.avoid.add(peer);
  if (ctx.tracker.forget(peer)) ctx.events.emit("failover", { from: peer, to: "", term: ctx.tracker.view().term });
  ctx.requestRefresh();
  const { backoff, random, scheduler } = ctx.options;
  let delayMs = backoffDelayMs(failures - 1, backoff, random, error.details.retryAfterMs);
  for (;;) {
    ctx.events.emit("backoff", { method: "Listen", delayMs, attempt: state.attempts, reason: error.kind, peer });
    await scheduler.sleep(delayMs, signal);
    if (ctx.budget === undefined || ctx.budget.tryWithdraw()) return;
    delayMs = Math.max(1, ctx.budget.msUntilToken());
  }
}

function clampHeartbeat(ms: number): number {
  return Math.min(HEARTBEAT_MAX_MS, Math.max(HEARTBEAT_MIN_MS, Math.round(ms)));
}

function throwIfCancelled(signal: AbortSignal | undefined, peer: string | undefined): void {
  if (signal?.aborted) {
    throw new SynodError({
      kind: "cancelled",
      message: "listen was cancelled",
      failure: "fatal",
      retryable: false,
      peer,
      cause: signal.reason,
    });
  }
}

function ended(peer: string): SynodError {
  return new SynodError({
    kind: "unavailable",
    message: "the listen stream ended",
    failure: "notExecuted",
    retryable: true,
    peer,
  });
}

function silenceError(peer: string, limitMs: number, cause: unknown): SynodError {
  return new SynodError({
    kind: "unavailable",
    message: `no listen message for ${limitMs} ms (missed heartbeats)`,
    failure: "outcomeUnknown",
    retryable: true,
    peer,
    cause,
  });
}
