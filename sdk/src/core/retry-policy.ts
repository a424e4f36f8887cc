import { backoffDelayMs, type BackoffOptions } from "./backoff.js";
import type { CallKind, CallState } from "./call-state.js";
import type { Random } from "./clock.js";
import type { Deadline } from "./deadline.js";
import type { LeaderChange, LeaderTracker } from "./leader-tracker.js";
import type { RetryBudget } from "./retry-budget.js";
import { wrapError, type Failure, type SynodError } from "./synod-error.js";

/** What to do after a failed attempt. */
export type RetryDecision =
  | { readonly action: "fail"; readonly error: SynodError }
  | { readonly action: "redirect"; readonly peer: string; readonly leaderChange?: LeaderChange | undefined }
  | {
      readonly action: "retry";
      readonly delayMs: number;
      readonly leaderLost: boolean;
      readonly leaderChange?: LeaderChange | undefined;
    };

/** Everything {@link decideRetry} looks at; it updates `state`, `tracker` and `budget`. */
export interface RetryInput {
  readonly kind: CallKind;
  readonly error: SynodError;
  readonly state: CallState;
  readonly tracker: LeaderTracker;
  readonly budget: RetryBudget | undefined;
  readonly deadline: Deadline;
  readonly backoff: BackoffOptions;
  readonly random: Random;
  readonly maxRedirects: number;
  /** Attempts allowed in all; unlimited (deadline and budget bound it) when absent. */
  readonly maxAttempts?: number | undefined;
}

/** True when a call of this kind may be sent again after this failure (DESIGN §6, §7). */
export function mayRetry(kind: CallKind, failure: Failure): boolean {
  if (failure === "fatal") return false;
  if (failure === "notExecuted") return true;
  return kind !== "write";
}

/**
 * The retry rule of the SDK, in one place: classify, follow a newer hint at
 * once, otherwise avoid the failed peer and back off with full jitter (at least
 * the server's pushback), within the call's deadline and the client's budget.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { error, state, tracker } = input;
  const peer = state.lastPeer ?? "";
  if (!mayRetry(input.kind, error.failure)) {
    if (error.failure === "outcomeUnknown") {
      return fail(wrapError("outcomeUnknown", "the request may or may not have been executed", error));
    }
    return fail(error);
  }
  if (input.deadline.expired()) return fail(wrapError("deadlineExceeded", "deadline exceeded", error));
  if (input.maxAttempts !== undefined && state.attempts >= input.maxAttempts) return fail(error);
  const hint = error.details.notLeader;
  if (hint !== undefined) {
    const follow = tracker.shouldFollow(hint, peer, state.redirects, input.maxRedirects);
    const leaderChange = tracker.observe(hint);
    if (follow) {
      state.redirects += 1;
      return { action: "redirect", peer: hint.leaderUrl, leaderChange };
    }
    state.avoid.add(peer);
    return backoffOrFail(input, false, leaderChange);
  }
  state.avoid.add(peer);
  // Pushback and a full disk are answers from a live leader: keep it.
  const alive = error.kind === "overloaded" || error.kind === "storageFull";
  const leaderLost = !alive && tracker.forget(peer);
  return backoffOrFail(input, leaderLost, undefined);
}

/**
 * While a leader is being elected (a NotLeader without a usable hint, a dead
 * or unreachable node) waits stay short: an election takes a few hundred ms,
 * and a long exponential wait would be most of the client's write gap. The
 * retry budget, not the backoff, is what keeps a dead cluster from a storm.
 */
export const FAILOVER_BACKOFF_CAP_MS = 100;

function backoffOptions(input: RetryInput): RetryInput["backoff"] {
  const electing = input.error.kind === "notLeader" || input.error.kind === "unavailable";
  return electing ? { ...input.backoff, capMs: Math.min(input.backoff.capMs, FAILOVER_BACKOFF_CAP_MS) } : input.backoff;
}

function backoffOrFail(input: RetryInput, leaderLost: boolean, leaderChange: LeaderChange | undefined): RetryDecision {
  const { error, state } = input;
  const retryAfterMs = error.details.retryAfterMs;
  const remainingMs = input.deadline.remainingMs();
  if (retryAfterMs !== undefined && retryAfterMs >= remainingMs) {
    return fail(wrapError("deadlineExceeded", `server asked to wait ${retryAfterMs} ms, past the deadline`, error));
  }
  if (input.budget !== undefined && !input.budget.tryWithdraw()) {
    return fail(wrapError("retryBudgetExhausted", "retry budget exhausted", error));
  }
  const delayMs = backoffDelayMs(state.backoffs, backoffOptions(input), input.random, retryAfterMs);
  if (delayMs >= remainingMs) return fail(wrapError("deadlineExceeded", "deadline exceeded", error));
  state.backoffs += 1;
  return { action: "retry", delayMs, leaderLost, leaderChange };
}

function fail(error: SynodError): RetryDecision {
  return { action: "fail", error };
}
