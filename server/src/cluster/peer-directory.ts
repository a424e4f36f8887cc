/**
 * Where every member can be reached: peer URLs (node to node) and client URLs
 * (for redirect hints and status). Learned from, in order of precedence:
 * routes given on the command line (dial overrides, e.g. a proxy in tests),
 * the bootstrap list, membership records in the log, and the client URL each
 * peer sends along with its messages.
 */
import type { ConfigChange, NodeId } from "../raft/types.js";

/** What is known of one member. */
export interface MemberAddress {
  peerUrl: string;
  clientUrl: string;
}

/** The address book of a node. */
export class PeerDirectory {
  readonly #members = new Map<NodeId, MemberAddress>();
  readonly #routes: ReadonlyMap<NodeId, string>;

  constructor(
    readonly selfId: NodeId,
    self: MemberAddress,
    initialPeers: ReadonlyMap<NodeId, string>,
    routes: ReadonlyMap<NodeId, string>,
  ) {
    this.#members.set(selfId, { ...self });
    for (const [id, peerUrl] of initialPeers) if (id !== selfId) this.#members.set(id, { peerUrl, clientUrl: "" });
    this.#routes = routes;
  }

  /** The URL to dial for `id`: a route override, else its peer URL. */
  dialUrl(id: NodeId): string | undefined {
    return this.#routes.get(id) ?? (this.#members.get(id)?.peerUrl || undefined);
  }

  /** The client URL of `id`, or "" when not known yet. */
  clientUrl(id: NodeId): string {
    return this.#members.get(id)?.clientUrl ?? "";
  }

  /** The peer URL of `id`, or "". */
  peerUrl(id: NodeId): string {
    return this.#members.get(id)?.peerUrl ?? "";
  }

  /** Learns addresses carried by a committed membership record. */
  learnChange(c: ConfigChange): void {
    if (c.kind === "remove") return;
    const m = this.#members.get(c.nodeId) ?? { peerUrl: "", clientUrl: "" };
    if (c.peerUrl) m.peerUrl = c.peerUrl;
    if (c.clientUrl) m.clientUrl = c.clientUrl;
    this.#members.set(c.nodeId, m);
  }

  /** Learns a peer's addresses from its messages (empty values are ignored). */
  learnFromPeer(id: NodeId, clientUrl: string, peerUrl: string): void {
    if (id === this.selfId) return;
    const m = this.#members.get(id) ?? { peerUrl: "", clientUrl: "" };
    if (clientUrl) m.clientUrl = clientUrl;
    if (peerUrl) m.peerUrl = peerUrl;
    this.#members.set(id, m);
  }

  /** Updates this node's own addresses (once its ports are bound). */
  setSelf(addr: MemberAddress): void {
    this.#members.set(this.selfId, { ...addr });
  }
}
