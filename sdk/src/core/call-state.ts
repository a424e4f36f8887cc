import type { EndpointSet } from "./endpoint-set.js";
import type { LeaderTracker } from "./leader-tracker.js";

/**
 * What one call may do on a retry (DESIGN §7): reads retry freely; appends carry
 * ids, so they retry even when the outcome is unknown; other writes retry only
 * when the server did not execute them.
 */
export type CallKind = "read" | "append" | "write";

/** The per-call bookkeeping of the retry loop. */
export class CallState {
  /** Attempts started so far. */
  attempts = 0;
  /** NotLeader hints followed so far (capped by `maxRedirects`). */
  redirects = 0;
  /** Retries that waited a backoff (the exponent of the next backoff). */
  backoffs = 0;
  /** Peers that failed during this call; tried again only when all have. */
  readonly avoid = new Set<string>();
  /** The next attempt's peer, set by a followed hint. */
  redirectTo: string | undefined;
  /** The peer of the latest attempt. */
  lastPeer: string | undefined;
  /** When set, every attempt goes to this peer (status of one node). */
  readonly pinned: string | undefined;

  constructor(pinned?: string) {
    this.pinned = pinned;
  }
}

/**
 * Picks the peer for the next attempt: the pinned peer; else a followed hint;
 * else the believed leader unless it failed in this call; else the next peer in
 * round-robin order that has not failed in this call (all again once all have).
 */
export function chooseEndpoint(state: CallState, endpoints: EndpointSet, tracker: LeaderTracker): string {
  let peer: string;
  if (state.pinned !== undefined) {
    peer = state.pinned;
  } else if (state.redirectTo !== undefined) {
    peer = state.redirectTo;
    state.redirectTo = undefined;
  } else {
    const leader = tracker.view().leaderUrl;
    if (leader !== "" && !state.avoid.has(leader)) {
      peer = leader;
    } else {
      if (endpoints.urls().every((u) => state.avoid.has(u))) state.avoid.clear();
      peer = endpoints.next(state.avoid);
    }
  }
  state.attempts += 1;
  state.lastPeer = peer;
  return peer;
}
