/**
 * Sends Raft messages to peers over PeerService.Deliver (HTTP/2). One call in
 * flight per peer; messages that arrive meanwhile are batched into the next
 * call. A peer's queue is bounded: past `queueMessagesMax` the oldest messages
 * are dropped (and counted), which Raft tolerates like any lost packet.
 */
import net from "node:net";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { PeerService } from "@synod/proto/peer";
import type { Logger } from "../logger.js";
import type { Message } from "../raft/messages.js";
import type { NodeId, StoredEntry } from "../raft/types.js";
import { messageToWire } from "./message-codec.js";
import { entryToWire } from "./record-codec.js";

/** Messages queued for one peer at most. */
export const queueMessagesMax = 10_000;
/**
 * A Deliver call that takes longer than this is abandoned and its connection
 * dropped, so a link that went silent (a partition) is re-dialled instead of
 * waiting on a dead TCP connection. HTTP/2 PINGs are not used: connect-node
 * destroys a session whose PING times out with an error nobody can catch.
 */
const deliverTimeoutMs = 1_500;

/** Header carrying the sender's client URL, so peers can hint clients to it. */
export const clientUrlHeader = "synod-client-url";
/** Header carrying the sender's peer URL, so a restarted peer can answer it. */
export const peerUrlHeader = "synod-peer-url";
/** Header carrying the sender's node id. */
export const nodeIdHeader = "synod-node-id";

interface Peer {
  readonly url: string;
  readonly client: Client<typeof PeerService>;
  readonly session: Http2SessionManager;
  queue: Message[];
  busy: boolean;
}

/** Where to reach peers, and who we are. */
export interface TransportEnv {
  readonly selfId: NodeId;
  readonly selfClientUrl: () => string;
  readonly selfPeerUrl: () => string;
  /** The cluster secret (read per call: a joining node learns it after starting). */
  readonly secret: () => string;
  readonly clusterId: () => string;
  /** The peer URL to dial for a node id (a route override or the member's address). */
  readonly addressOf: (id: NodeId) => string | undefined;
  readonly logger: Logger;
  readonly nowMs: () => number;
}

/** The outgoing side of the peer network. */
export class PeerTransport {
  readonly #peers = new Map<NodeId, Peer>();
  /** Kept across re-dials: when each peer last answered, and when its failure was last logged. */
  readonly #lastOkMs = new Map<NodeId, number>();
  readonly #lastErrorLogMs = new Map<NodeId, number>();
  #dropped = 0;

  constructor(private readonly env: TransportEnv) {}

  /** Messages dropped because a peer's queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** When a Deliver to `id` last succeeded (ms, the transport's clock), if ever. */
  lastOkMs(id: NodeId): number | undefined {
    return this.#lastOkMs.get(id);
  }

  /** Queues messages and sends them as soon as each peer's previous call is done. */
  send(messages: readonly Message[]): void {
    for (const m of messages) {
      const peer = this.#peer(m.to);
      if (!peer) continue;
      peer.queue.push(m);
      if (peer.queue.length > queueMessagesMax) {
        peer.queue.splice(0, peer.queue.length - queueMessagesMax);
        this.#dropped++;
      }
    }
    for (const [id, peer] of this.#peers) if (!peer.busy && peer.queue.length > 0) void this.#flush(id, peer);
  }

  /** Sends truncated entries to the leader `id` (write concern LEADER); resolves once committed there. */
  async resubmit(id: NodeId, entries: readonly StoredEntry[]): Promise<void> {
    const peer = this.#peer(id);
    if (!peer) throw new Error(`no address for ${id}`);
    await peer.client.resubmit({ entries: entries.map(entryToWire) }, { timeoutMs: 30_000, headers: { authorization: `Bearer ${this.env.secret()}`, [nodeIdHeader]: this.env.selfId } });
  }

  /** Closes every connection. */
  close(): void {
    for (const p of this.#peers.values()) p.session.abort();
    this.#peers.clear();
  }

  #peer(id: NodeId): Peer | undefined {
    const url = this.env.addressOf(id);
    if (!url) return undefined;
    const existing = this.#peers.get(id);
    if (existing && existing.url === url) return existing;
    existing?.session.abort();
    // No Nagle delay: Raft messages are small and latency-bound.
    const { hostname, port } = new URL(url);
    const session = new Http2SessionManager(url, { idleConnectionTimeoutMs: 60_000 }, { createConnection: () => net.connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port), noDelay: true }) });
    const transport = createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager: session });
    const peer: Peer = { url, session, client: createClient(PeerService, transport), queue: [], busy: false };
    this.#peers.set(id, peer);
    return peer;
  }

  async #flush(id: NodeId, peer: Peer): Promise<void> {
    peer.busy = true;
    try {
      while (peer.queue.length > 0 && this.#peers.get(id) === peer) {
        const batch = peer.queue.splice(0);
        try {
          await peer.client.deliver(
            { clusterId: this.env.clusterId(), messages: batch.map(messageToWire) },
            { timeoutMs: deliverTimeoutMs, headers: { authorization: `Bearer ${this.env.secret()}`, [clientUrlHeader]: this.env.selfClientUrl(), [peerUrlHeader]: this.env.selfPeerUrl(), [nodeIdHeader]: this.env.selfId } },
          );
          this.#lastOkMs.set(id, this.env.nowMs());
        } catch (err) {
          this.#logError(id, peer, err);
          // Start over on a fresh connection next time (the next send re-dials).
          this.#peers.delete(id);
          peer.session.abort();
          return;
        }
      }
    } finally {
      peer.busy = false;
    }
  }

  #logError(id: NodeId, peer: Peer, err: unknown): void {
    const now = this.env.nowMs();
    if (now - (this.#lastErrorLogMs.get(id) ?? -Infinity) < 10_000) return;
    this.#lastErrorLogMs.set(id, now);
    this.env.logger.warn("peer unreachable", { peer: id, url: peer.url, error: (err as Error).message });
  }
}
