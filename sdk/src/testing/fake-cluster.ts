import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport, type Interceptor, type Transport } from "@connectrpc/connect";
import { ClusterService } from "@synod/proto/cluster";
import { EntryInputSchema, EntrySchema, type Entry, type EntryInput } from "@synod/proto/entry";
import { HubService, type StatusResponse } from "@synod/proto/hub";
import { systemScheduler, type Scheduler } from "../runtime.js";
import { connectionLostError, connectionRefusedError, notLeaderError } from "./fake-errors.js";
import { fakeClusterService } from "./fake-cluster-service.js";
import { fakeHubService } from "./fake-hub.js";
import { fakeStatus } from "./fake-status.js";

/** One fake hub node. */
export interface FakeNode {
  readonly id: string;
  /** Its client URL, the key of its transport. */
  readonly url: string;
  alive: boolean;
  /** Partitioned: calls hang until cancelled and open streams go silent. */
  partitioned: boolean;
  /** False once removed from the membership. */
  member: boolean;
}

/** A call as the fake saw it. */
export interface FakeCall {
  readonly node: string;
  readonly method: string;
  /** For Append: the entry ids it carried, in order (shows whether a retry reused them). */
  readonly ids?: readonly string[];
}

/** A listen stream as the fake served it; `signal` shows whether the client cancelled. */
export interface FakeStream {
  readonly node: string;
  readonly afterSeq: bigint;
  readonly signal: AbortSignal;
  messages: number;
}

/** An injected failure for the next matching call. */
export interface FakeFault {
  /** Node id, or undefined for any node. */
  readonly node?: string;
  /** RPC name such as "Append"; undefined for any. */
  readonly method?: string;
  /** "before": fail without executing; "after": execute, then lose the answer. Default "before". */
  readonly when?: "before" | "after";
  /** The error to raise; default connectionLost for "after", unavailable otherwise. */
  readonly error?: ConnectError;
  /** How many calls it hits. Default 1. */
  times?: number;
}

/** Options of {@link FakeCluster}. */
export interface FakeClusterOptions {
  /** Number of nodes, named n1..nN with URLs http://nK.fake:9900. Default 3. */
  readonly nodes?: number;
  /** When set, calls must carry `Bearer <adminToken>` or a token registered through the fake. */
  readonly adminToken?: string;
  /** Heartbeat period when a listener asks for 0. Default 1000 ms. */
  readonly heartbeatMs?: number;
  /** Most entries per listen message. Default 100. */
  readonly listenBatchMax?: number;
  /** Timers for heartbeats. Default: real timers. */
  readonly scheduler?: Scheduler;
}

/**
 * An in-memory Synod cluster for tests: one committed log, a leader, followers
 * that answer writes with NotLeader hints, kill/revive, partitions, injected
 * faults, dedup by entry id and listen streams with heartbeats. Pass
 * {@link FakeCluster.transport} as the client's transport factory.
 */
export class FakeCluster {
  readonly nodes: FakeNode[] = [];
  readonly log: Entry[] = [];
  readonly calls: FakeCall[] = [];
  readonly streams: FakeStream[] = [];
  readonly tokens = new Map<string, { tokenId: string; name: string; kind: string }>();
  readonly options: Required<Omit<FakeClusterOptions, "adminToken">> & { adminToken: string | undefined };
  leaderId: string | undefined;
  term = 1n;
  readonly #ids = new Map<string, bigint>();
  readonly #faults: FakeFault[] = [];
  readonly #transports = new Map<string, Transport>();
  #waiters = new Set<() => void>();

  constructor(options: FakeClusterOptions = {}) {
    this.options = {
      nodes: options.nodes ?? 3,
      adminToken: options.adminToken,
      heartbeatMs: options.heartbeatMs ?? 1_000,
      listenBatchMax: options.listenBatchMax ?? 100,
      scheduler: options.scheduler ?? systemScheduler,
    };
    for (let i = 1; i <= this.options.nodes; i++) {
      this.nodes.push({ id: `n${i}`, url: `http://n${i}.fake:9900`, alive: true, partitioned: false, member: true });
    }
    this.leaderId = this.nodes[0]?.id;
    if (options.adminToken !== undefined) this.tokens.set(options.adminToken, { tokenId: "t0", name: "admin", kind: "admin" });
  }

  /** The transport factory for clients: one in-memory transport per node URL. */
  readonly transport = (baseUrl: string): Transport => {
    let transport = this.#transports.get(baseUrl);
    if (transport === undefined) {
      transport = this.#makeTransport(baseUrl);
      this.#transports.set(baseUrl, transport);
    }
    return transport;
  };

  /** Seed peers for a client, as `host:port`. */
  peers(): string[] {
    return this.nodes.map((n) => n.url.replace(/^http:\/\//, ""));
  }

  /** The node with this id. @throws Error when there is none. */
  node(id: string): FakeNode {
    const node = this.nodes.find((n) => n.id === id);
    if (node === undefined) throw new Error(`no fake node ${id}`);
    return node;
  }

  /** The current leader node, if any. */
  leader(): FakeNode | undefined {
    return this.leaderId === undefined ? undefined : this.node(this.leaderId);
  }

  /** Stops a node: new calls are refused, open streams break. A dead leader leaves the cluster leaderless. */
  kill(id: string): void {
    this.node(id).alive = false;
    if (this.leaderId === id) this.leaderId = undefined;
    this.notify();
  }

  /** Starts a stopped node again (as a follower). */
  revive(id: string): void {
    this.node(id).alive = true;
    this.notify();
  }

  /** Cuts a node off: calls hang until cancelled, streams go silent. */
  partition(id: string): void {
    this.node(id).partitioned = true;
    this.notify();
  }

  /** Ends a partition. */
  heal(id: string): void {
    this.node(id).partitioned = false;
    this.notify();
  }

  /** Makes `id` the leader of a new term. */
  elect(id: string): void {
    this.node(id);
    this.term += 1n;
    this.leaderId = id;
    this.notify();
  }

  /** Kills the leader and elects the next live node. @returns the new leader's id. */
  failover(): string {
    const old = this.leaderId;
    if (old !== undefined) this.kill(old);
    const next = this.nodes.find((n) => n.alive && n.member && n.id !== old);
    if (next === undefined) throw new Error("no live node to elect");
    this.elect(next.id);
    return next.id;
  }

  /** Fails matching calls (see {@link FakeFault}). */
  inject(fault: FakeFault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /**
   * Commits entries directly, as another writer would (ids default to `fake-<n>`).
   * @returns their seqs.
   */
  commit(
    inputs: ReadonlyArray<{ id?: string; type: string; content: string; meta?: Record<string, string> }>,
    origin = "other",
  ): bigint[] {
    return inputs.map((input) => {
      const id = input.id ?? `fake-${this.log.length + 1}`;
      return this.appendOne(create(EntryInputSchema, { ...input, id, meta: input.meta ?? {} }), origin).seq;
    });
  }

  /** Appends with dedup by id (DESIGN §3): a known id returns its original seq. */
  appendOne(input: EntryInput, origin: string): { id: string; seq: bigint; duplicate: boolean } {
    const known = this.#ids.get(input.id);
    if (known !== undefined) return { id: input.id, seq: known, duplicate: true };
    const seq = BigInt(this.log.length + 1);
    this.log.push(
      create(EntrySchema, {
        id: input.id,
        type: input.type,
        content: input.content,
        meta: { ...input.meta },
        createdAt: input.createdAt,
        seq,
        origin,
        term: this.term,
        committedAt: timestampNow(),
      }),
    );
    this.#ids.set(input.id, seq);
    this.notify();
    return { id: input.id, seq, duplicate: false };
  }

  /** The last committed seq. */
  commitSeq(): bigint {
    return BigInt(this.log.length);
  }

  /** Calls seen by the fake for one method (and node). */
  callsTo(method: string, node?: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method && (node === undefined || c.node === node));
  }

  /** Wakes every waiting stream (after any change). */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next change, after `timeoutMs` (true) or rejects when `signal` aborts. */
  waitChange(signal: AbortSignal, timeoutMs?: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let cancelTimer = (): void => undefined;
      const done = (timedOut: boolean): void => {
        cancelTimer();
        this.#waiters.delete(wake);
        signal.removeEventListener("abort", onAbort);
        resolve(timedOut);
      };
      const wake = (): void => done(false);
      const onAbort = (): void => {
        cancelTimer();
        this.#waiters.delete(wake);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      this.#waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== undefined) cancelTimer = this.options.scheduler.after(timeoutMs, () => done(true));
    });
  }

  /** Throws NotLeader unless `node` leads (writes are leader-only). */
  requireLeader(node: FakeNode): void {
    if (this.leaderId === node.id) return;
    const leader = this.leader();
    throw notLeaderError(leader?.id ?? "", leader?.url ?? "", this.term);
  }

  /** Checks the bearer token. @returns the origin name bound to it. */
  authenticate(header: string | null): string {
    if (this.options.adminToken === undefined) return "anonymous";
    const token = header?.replace(/^Bearer /, "") ?? "";
    const record = this.tokens.get(token);
    if (record === undefined) throw new ConnectError("bad token", Code.Unauthenticated);
    return record.name;
  }

  /** This node's status answer. */
  statusOf(node: FakeNode): StatusResponse {
    return fakeStatus(this, node);
  }

  #makeTransport(baseUrl: string): Transport {
    const node = this.nodes.find((n) => n.url === baseUrl);
    const interceptor: Interceptor = (next) => async (req) => {
      const method = req.method.name;
      this.calls.push({ node: node?.id ?? baseUrl, method, ...appendIds(req) });
      if (node === undefined || !node.alive || !node.member) throw connectionRefusedError(baseUrl);
      await this.#stillPartitioned(node, req.signal);
      const fault = this.#takeFault(node.id, method);
      if (fault !== undefined && fault.when !== "after") throw fault.error ?? connectionLostError();
      const response = await next(req);
      if (fault !== undefined) throw fault.error ?? connectionLostError();
      return response;
    };
    return createRouterTransport(
      (router) => {
        const target = node ?? this.nodes[0];
        if (target === undefined) return;
        router.service(HubService, fakeHubService(this, target));
        router.service(ClusterService, fakeClusterService(this, target));
      },
      { transport: { interceptors: [interceptor] } },
    );
  }

  async #stillPartitioned(node: FakeNode, signal: AbortSignal): Promise<void> {
    while (node.partitioned) await this.waitChange(signal);
  }

  #takeFault(node: string, method: string): FakeFault | undefined {
    const index = this.#faults.findIndex(
      (f) => (f.node === undefined || f.node === node) && (f.method === undefined || f.method === method),
    );
    const fault = this.#faults[index];
    if (fault === undefined) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(index, 1);
    return fault;
  }
}

/** The entry ids of an Append request, for {@link FakeCall.ids}; nothing for other calls. */
function appendIds(req: Parameters<Parameters<Interceptor>[0]>[0]): { ids?: string[] } {
  if (req.stream || req.method.name !== "Append") return {};
  const message = req.message as { entries?: ReadonlyArray<{ id: string }> };
  return { ids: (message.entries ?? []).map((e) => e.id) };
}
