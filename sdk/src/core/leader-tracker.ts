import { asTerm, type Term } from "./seq.js";
import type { NotLeaderHint } from "./synod-error.js";

/** What the client believes about leadership. */
export interface LeaderView {
  readonly leaderId: string;
  /** "" when the leader's URL is unknown. */
  readonly leaderUrl: string;
  /** The highest term seen from any node. */
  readonly term: Term;
}

/** A change of the believed leader, for the `failover` event. */
export interface LeaderChange {
  readonly from: string;
  readonly to: string;
  readonly term: Term;
}

/**
 * Leader and term tracking (DESIGN §7). Terms only move forward: information
 * from an older term is ignored, so a partitioned node's stale hint cannot
 * drag the client back to a deposed leader.
 */
export class LeaderTracker {
  #view: LeaderView = { leaderId: "", leaderUrl: "", term: asTerm(0n) };

  /** The current belief. */
  view(): LeaderView {
    return this.#view;
  }

  /**
   * Records leadership information from a hint, a status answer or a stream.
   * @returns the change when the believed leader URL moved from one node to another.
   */
  observe(info: { leaderId: string; leaderUrl?: string; term: bigint }): LeaderChange | undefined {
    if (info.term < this.#view.term) return undefined;
    const previous = this.#view;
    let leaderUrl = info.leaderUrl ?? "";
    if (leaderUrl === "" && info.leaderId !== "" && info.leaderId === previous.leaderId) {
      leaderUrl = previous.leaderUrl;
    }
    if (info.term === previous.term && info.leaderId === "" && leaderUrl === "") {
      return undefined; // no news in the same term
    }
    this.#view = { leaderId: info.leaderId, leaderUrl, term: asTerm(info.term) };
    if (previous.leaderUrl !== "" && leaderUrl !== "" && leaderUrl !== previous.leaderUrl) {
      return { from: previous.leaderUrl, to: leaderUrl, term: this.#view.term };
    }
    return undefined;
  }

  /**
   * Forgets the leader when its URL failed at the connection level, keeping the
   * term (a new leader must show a term at least as high).
   * @returns true when `url` was the believed leader.
   */
  forget(url: string): boolean {
    if (this.#view.leaderUrl !== url || url === "") return false;
    this.#view = { leaderId: "", leaderUrl: "", term: this.#view.term };
    return true;
  }

  /**
   * The hint rule of DESIGN §6/§7: follow a NotLeader hint at once only when it
   * names a leader URL, its term is newer than the last seen, it does not point
   * back at the node that sent it, and the call has redirects left.
   */
  shouldFollow(hint: NotLeaderHint, sender: string, redirectsUsed: number, maxRedirects: number): boolean {
    return (
      hint.leaderUrl !== "" &&
      hint.term > this.#view.term &&
      hint.leaderUrl !== sender &&
      redirectsUsed < maxRedirects
    );
  }
}
