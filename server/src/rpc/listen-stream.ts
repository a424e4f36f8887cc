/**
 * The Listen stream: backlog from disk, then live entries as they commit.
 * Every message covers the contiguous range (after_seq, through_seq] (DESIGN
 * §6). Memory per listener is bounded by one page: the stream is pulled by
 * the transport, so a listener that stops reading holds one message and never
 * slows writers; after `stallMs` without progress its stream is reset, and
 * the client resumes from its cursor.
 */
import { create } from "@bufbuild/protobuf";
import { ListenResponseSchema, type ListenResponse } from "@synod/proto/hub";
import { seq, type Seq } from "../raft/types.js";
import type { HubNode } from "../node/hub-node.js";
import type { EntryFilter } from "../node/entry-log.js";
import { toWireEntry } from "./entry-convert.js";
import { HubError } from "../hub-error.js";
import type { FailPointHook } from "../control/fail-points.js";

/** Tunables of Listen streams. */
export interface ListenOptions {
  /** Idle heartbeat period when the client asks for none, in ms. */
  readonly heartbeatMsDefault: number;
  /** A message not taken by the transport within this many ms resets the stream. */
  readonly stallMs: number;
  /** Entries per message at most. */
  readonly pageEntriesMax: number;
}

/** Defaults chosen so an SDK missing 3 heartbeats reacts within ~6 s. */
export const listenDefaults: ListenOptions = { heartbeatMsDefault: 2000, stallMs: 15_000, pageEntriesMax: 500 };

/** One Listen stream's parameters. */
export interface ListenParams {
  readonly afterSeq: Seq;
  readonly filter: EntryFilter;
  readonly heartbeatMs: number;
  readonly signal: AbortSignal;
  /** Aborted when the node stops: the stream ends with `unavailable` so the client resumes elsewhere. */
  readonly stopping: AbortSignal;
  /** Resets the underlying HTTP stream (used when the client stalls). */
  readonly resetTransport: () => void;
  /** Ms this node has been without a known leader (0 when it has one). */
  readonly leaderlessMs: () => number;
  /** Past this, the stream ends with a retryable error (DESIGN §6: never hang silently). */
  readonly leaderlessMaxMs: number;
  /** Hit as `listen.before-send` before each message, ahead of the stall watchdog (a test `drop` is silence, not a reset). */
  readonly failPoints: FailPointHook;
}

/** Yields ListenResponses until the client goes away or the stream is reset. */
export async function* listenStream(node: HubNode, params: ListenParams, opts: ListenOptions): AsyncGenerator<ListenResponse> {
  const p = { ...params, signal: AbortSignal.any([params.signal, params.stopping]) };
  let cursor = p.afterSeq;
  while (!p.signal.aborted) {
    let msg: ListenResponse;
    if (node.readableSeq > cursor) {
      const page = await node.read(cursor, opts.pageEntriesMax, p.filter);
      msg = message(node, cursor, page.throughSeq, page.entries.map(toWireEntry));
      cursor = page.throughSeq;
    } else {
      const moved = await node.commit.waitBeyond(cursor, p.signal, Math.min(p.heartbeatMs, p.leaderlessMaxMs));
      if (p.leaderlessMs() > p.leaderlessMaxMs) throw node.notLeader();
      if (moved || p.signal.aborted) continue;
      msg = message(node, cursor, cursor, []);
    }
    await p.failPoints.hit("listen.before-send", p.signal);
    const watchdog = setTimeout(p.resetTransport, opts.stallMs);
    try {
      yield msg;
    } finally {
      clearTimeout(watchdog);
    }
  }
  if (params.stopping.aborted) throw new HubError({ kind: "unavailable" }, "node is stopping; resume on another node");
}

function message(node: HubNode, after: Seq, through: Seq, entries: ListenResponse["entries"]): ListenResponse {
  return create(ListenResponseSchema, {
    afterSeq: after,
    throughSeq: seq(through),
    entries,
    commitSeq: node.commit.seq,
    leaderId: node.leaderId,
    term: node.term,
  });
}
