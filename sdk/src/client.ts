import { ClientContext } from "./client-context.js";
import {
  addMember,
  backupChunks,
  clusterStatus,
  createJoinToken,
  removeMember,
  transferLeadership,
} from "./cluster-calls.js";
import type { ClientEventListener, ClientEventName } from "./core/events.js";
import type { LeaderView } from "./core/leader-tracker.js";
import { appendEntries, listTokens, nodeStatus, readEntries, registerClient, revokeTokens } from "./hub-calls.js";
import { listenBatches } from "./listen.js";
import type {
  AppendOptions,
  AppendResult,
  BackupChunk,
  CallOptions,
  Entry,
  EntryInput,
  IssuedToken,
  LeadershipTransfer,
  ListenBatch,
  ListenOptions,
  MemberInfo,
  NewMember,
  NodeStatus,
  ReadOptions,
  ReadResult,
  RevokeTarget,
  StatusOptions,
  TokenInfo,
} from "./model.js";
import { resolveOptions, type ClientOptions } from "./options.js";

/**
 * A failover-aware Synod client (DESIGN §7). Every method throws only
 * {@link SynodError}. Create one with `createClient` and share it: it holds the
 * peer list, the leader belief and the retry budget for all calls.
 */
export class SynodClient {
  readonly #ctx: ClientContext;

  /** @internal use `createClient`. */
  constructor(ctx: ClientContext) {
    this.#ctx = ctx;
    ctx.startRefresh(() => this.#refreshPeers());
  }

  /** Appends one entry. Retried (same id) until acknowledged, the deadline or the budget. */
  append(entry: EntryInput, options?: AppendOptions): Promise<AppendResult>;
  /** Appends 1..1000 entries atomically as one batch; results are in input order. */
  append(entries: readonly EntryInput[], options?: AppendOptions): Promise<AppendResult[]>;
  async append(
    input: EntryInput | readonly EntryInput[],
    options?: AppendOptions,
  ): Promise<AppendResult | AppendResult[]> {
    if (isEntryList(input)) return appendEntries(this.#ctx, input, options);
    const results = await appendEntries(this.#ctx, [input], options);
    return results[0] as AppendResult;
  }

  /** Reads one page of committed entries after `afterSeq`. */
  read(options?: ReadOptions): Promise<ReadResult> {
    return readEntries(this.#ctx, options);
  }

  /**
   * Listens from `afterSeq`: one batch per server message, heartbeats included
   * (with no entries) so the caller can persist `throughSeq`. Never yields a
   * gap, duplicate or out-of-order entry; survives disconnects and failovers.
   * `break`, `return()` or the signal cancel the RPC.
   * @throws SynodError `cancelled` when the signal aborts; `invariant`, `compacted`,
   * `unauthenticated`, `permissionDenied`, `invalidArgument` and other fatal kinds end it.
   */
  listen(options?: ListenOptions): AsyncIterable<ListenBatch> {
    return listenBatches(this.#ctx, options);
  }

  /** Like {@link listen}, yielding single entries. */
  async *listenEntries(options?: ListenOptions): AsyncIterable<Entry> {
    for await (const batch of listenBatches(this.#ctx, options)) yield* batch.entries;
  }

  /** HubService.Status of the leader (or any peer; or `options.peer` only). */
  status(options?: StatusOptions): Promise<NodeStatus> {
    return nodeStatus(this.#ctx, options);
  }

  /** ClusterService.Status (admin token). */
  clusterStatus(options?: StatusOptions): Promise<NodeStatus> {
    return clusterStatus(this.#ctx, options);
  }

  /** Creates a client token bound to `name` (admin token). The secret is returned once. */
  register(name: string, options?: CallOptions): Promise<IssuedToken> {
    return registerClient(this.#ctx, name, options);
  }

  /** Revokes a token by id, or every token of a client name. @returns how many were revoked. */
  revoke(target: RevokeTarget, options?: CallOptions): Promise<number> {
    return revokeTokens(this.#ctx, target, options);
  }

  /** Lists tokens (admin token); never their secrets. */
  listTokens(options?: CallOptions): Promise<TokenInfo[]> {
    return listTokens(this.#ctx, options);
  }

  /** Adds a member as a learner (admin token). @returns the members after the change. */
  addMember(member: NewMember, options?: CallOptions): Promise<MemberInfo[]> {
    return addMember(this.#ctx, member, options);
  }

  /** Removes a member (admin token). @returns the members after the change. */
  removeMember(nodeId: string, options?: CallOptions): Promise<MemberInfo[]> {
    return removeMember(this.#ctx, nodeId, options);
  }

  /** Hands leadership to `toNodeId`, or to the most caught-up voter when absent. */
  transferLeadership(toNodeId?: string, options?: CallOptions): Promise<LeadershipTransfer> {
    return transferLeadership(this.#ctx, toNodeId, options);
  }

  /** Creates a join token for `maxUses` nodes (0 means 1). */
  createJoinToken(maxUses = 1, options?: CallOptions): Promise<IssuedToken> {
    return createJoinToken(this.#ctx, maxUses, options);
  }

  /** Streams a backup of the entries after `afterSeq` (not retried; resume from the last `throughSeq`). */
  backup(afterSeq: bigint = 0n, options?: { readonly signal?: AbortSignal }): AsyncIterable<BackupChunk> {
    return backupChunks(this.#ctx, afterSeq, options?.signal);
  }

  /**
   * Subscribes to an event (see `ClientEvents` for payloads).
   * @returns a function that unsubscribes.
   */
  on<E extends ClientEventName>(event: E, listener: ClientEventListener<E>): () => void {
    return this.#ctx.events.on(event, listener);
  }

  /** The peers the client currently knows: learned members first, then seeds. */
  peers(): string[] {
    return this.#ctx.endpoints.urls();
  }

  /** The current leader belief (id, URL, term). */
  leader(): LeaderView {
    return this.#ctx.tracker.view();
  }

  /** Refreshes peers and leader from a node's status now. Never rejects. */
  refreshPeers(): Promise<void> {
    return this.#ctx.refresh("timer");
  }

  /** Stops background work (the peer refresh timer). Calls already running finish. */
  close(): void {
    this.#ctx.close();
  }

  async #refreshPeers(): Promise<void> {
    const ctx = this.#ctx;
    const status = await nodeStatus(ctx, { timeoutMs: ctx.options.refreshTimeoutMs }, true);
    if (ctx.endpoints.applyMembers(status.members)) ctx.events.emit("peers", { peers: ctx.endpoints.urls() });
    ctx.observeLeader(status.leaderId, status.leaderUrl, status.term);
  }
}

function isEntryList(input: EntryInput | readonly EntryInput[]): input is readonly EntryInput[] {
  return Array.isArray(input);
}

/**
 * Creates a client over any Connect transport. Applications usually import
 * `createClient` from `@synod/sdk/node` or `@synod/sdk/web`, which supply it.
 * @throws TypeError when the peer list is empty or malformed.
 */
export function createClient(options: ClientOptions): SynodClient {
  return new SynodClient(new ClientContext(resolveOptions(options)));
}
