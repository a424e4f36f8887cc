import { createClient as createRpcClient, type Client } from "@connectrpc/connect";
import { ClusterService } from "@synod/proto/cluster";
import { HubService } from "@synod/proto/hub";
import { EndpointSet } from "./core/endpoint-set.js";
import { Emitter, type ClientEvents } from "./core/events.js";
import { LeaderTracker, type LeaderChange } from "./core/leader-tracker.js";
import { normalizePeerUrl } from "./core/peer-url.js";
import { RetryBudget } from "./core/retry-budget.js";
import { formatUuidV7 } from "./core/uuidv7.js";
import type { ResolvedOptions } from "./options.js";
import { systemIdSource } from "./runtime.js";

/** Connect clients for one peer. */
interface PeerClients {
  readonly hub: Client<typeof HubService>;
  readonly cluster: Client<typeof ClusterService>;
}

/** Refreshes triggered by errors are at most this frequent, in ms. */
const MIN_ERROR_REFRESH_INTERVAL_MS = 1_000;

/**
 * The shared state of one client: options, peers, leader belief, retry budget,
 * events and the per-peer Connect clients. Calls and listeners read and update it.
 */
export class ClientContext {
  readonly options: ResolvedOptions;
  readonly endpoints: EndpointSet;
  readonly tracker = new LeaderTracker();
  readonly budget: RetryBudget | undefined;
  readonly events = new Emitter<ClientEvents>();
  readonly #peers = new Map<string, PeerClients>();
  #refresher: ((reason: "timer" | "error") => Promise<void>) | undefined;
  #refreshing: Promise<void> | undefined;
  #lastErrorRefreshMs = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;
  #closed = false;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.endpoints = new EndpointSet(options.seeds, options.random);
    this.budget = options.retryBudget === undefined ? undefined : new RetryBudget(options.clock, options.retryBudget);
  }

  /** The HubService client of a peer URL (created once per URL). */
  hub(url: string): Client<typeof HubService> {
    return this.#clients(url).hub;
  }

  /** The ClusterService client of a peer URL. */
  cluster(url: string): Client<typeof ClusterService> {
    return this.#clients(url).cluster;
  }

  /** Headers for every call: the bearer token when one is configured. */
  headers(): Record<string, string> {
    const token = this.options.token;
    return token === undefined || token === "" ? {} : { authorization: `Bearer ${token}` };
  }

  /** A fresh entry id (UUIDv7 unless the options supply a generator). */
  newId(): string {
    if (this.options.newId !== undefined) return this.options.newId();
    const source = systemIdSource();
    return formatUuidV7(source.unixMs, source.random);
  }

  /**
   * Records leadership seen in an answer and emits `failover` when it moved.
   * A missing URL (listen messages carry only the id) is looked up among the members.
   */
  observeLeader(leaderId: string, leaderUrl: string, term: bigint): void {
    let url = "";
    try {
      url = leaderUrl === "" ? (this.endpoints.urlOf(leaderId) ?? "") : normalizePeerUrl(leaderUrl);
    } catch {
      url = "";
    }
    this.emitLeaderChange(this.tracker.observe({ leaderId, leaderUrl: url, term }));
  }

  /** Emits `failover` for a change, if any. */
  emitLeaderChange(change: LeaderChange | undefined): void {
    if (change !== undefined) this.events.emit("failover", change);
  }

  /**
   * Installs the peer refresh (done by the client, which knows how to call
   * Status) and starts the periodic timer when enabled.
   */
  startRefresh(refresher: (reason: "timer" | "error") => Promise<void>): void {
    this.#refresher = refresher;
    if (this.options.refreshPeersMs > 0) this.#schedule();
  }

  /** Asks for a refresh after an error; rate-limited and never concurrent. */
  requestRefresh(): void {
    const now = this.options.clock.nowMs();
    if (now - this.#lastErrorRefreshMs < MIN_ERROR_REFRESH_INTERVAL_MS) return;
    this.#lastErrorRefreshMs = now;
    void this.refresh("error");
  }

  /** Runs one refresh (joins one already running). Never rejects. */
  refresh(reason: "timer" | "error"): Promise<void> {
    if (this.#closed || this.#refresher === undefined) return Promise.resolve();
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#refresher(reason)
        .catch(() => undefined)
        .finally(() => {
          this.#refreshing = undefined;
        });
    }
    return this.#refreshing;
  }

  /** True once {@link close} ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Stops the background refresh. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.options.onClose?.();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#cancelTimer = this.options.scheduler.after(this.options.refreshPeersMs, () => {
      void this.refresh("timer").finally(() => this.#schedule());
    });
  }

  #clients(url: string): PeerClients {
    let clients = this.#peers.get(url);
    if (clients === undefined) {
      const transport = this.options.transport(url);
      clients = { hub: createRpcClient(HubService, transport), cluster: createRpcClient(ClusterService, transport) };
      this.#peers.set(url, clients);
    }
    return clients;
  }
}
