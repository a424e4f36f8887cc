/**
 * A cluster of the server under test, started through its adapter (DESIGN §8): the
 * runner picks the ports, puts a TCP proxy on every directed peer link, asks the
 * adapter to start each node, and offers the faults cases use (kill, restart,
 * pause, resume, partition, isolate, heal) plus leader discovery over `Status`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@connectrpc/connect";
import { Role } from "@synod/proto/entry";
import { HubService, type StatusResponse } from "@synod/proto/hub";
import type { AdapterProcess } from "../adapter/adapter-process.js";
import type { NodeSpec } from "../adapter/adapter-contract.js";
import { distinctFreePorts } from "../network/free-port.js";
import { pollUntil } from "./poll-until.js";
import { startProxyMesh, type ProxyMesh } from "../network/proxy-mesh.js";
import { referenceClient } from "../reference-client/reference-transport.js";

/** The `cluster:` block of a case. */
export interface ClusterSpec {
  /** Voters: 1, 3 or 5. */
  readonly nodes: number;
  /** Default 1000. */
  readonly electionTimeoutMs?: number;
  /** Default 100. */
  readonly heartbeatMs?: number;
  /**
   * Whether the nodes serve the test-only ControlService (the adapter's `testControl`).
   * Default true; false for the cases that check a node without it refuses fail points.
   */
  readonly testControl?: boolean;
}

/** What the runner knows about a node process. */
export type NodeState = "running" | "paused" | "killed" | "stopped";

const statusTimeoutMs = 500;
/** Cluster starts tried when a chosen port was taken before a node bound it. */
const startAttemptsMax = 3;

/** A running cluster of the server under test. Node ids are `n1` .. `n<size>`. */
export class ClusterUnderTest {
  readonly ids: readonly string[];
  readonly adminToken: string;
  readonly #specs = new Map<string, NodeSpec>();
  readonly #states = new Map<string, NodeState>();
  readonly #urls = new Map<string, string>();
  readonly #clients = new Map<string, Client<typeof HubService>>();
  #stopped = false;

  private constructor(
    private readonly adapter: AdapterProcess,
    readonly network: ProxyMesh,
    private readonly root: string,
    ids: readonly string[],
    adminToken: string,
  ) {
    this.ids = ids;
    this.adminToken = adminToken;
  }

  /**
   * Starts every node and resolves once each listens (a leader may not exist yet: see
   * {@link leader}). Ports are picked free and released before the nodes bind them, so
   * another process can take one in between; such a start is retried on fresh ports.
   */
  static async start(adapter: AdapterProcess, spec: ClusterSpec): Promise<ClusterUnderTest> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ClusterUnderTest.#startOnce(adapter, spec);
      } catch (err) {
        const portTaken = err instanceof Error && /EADDRINUSE|address already in use/i.test(err.message);
        if (!portTaken || attempt >= startAttemptsMax) throw err;
      }
    }
  }

  static async #startOnce(adapter: AdapterProcess, spec: ClusterSpec): Promise<ClusterUnderTest> {
    const ids = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
    const ports = await distinctFreePorts(2 * ids.length);
    const clientPorts = new Map(ids.map((id, i) => [id, ports[2 * i] ?? 0]));
    const peerPorts = new Map(ids.map((id, i) => [id, ports[2 * i + 1] ?? 0]));
    const network = await startProxyMesh(peerPorts, new Set(ports));
    const root = await mkdtemp(join(tmpdir(), "synod-conformance-"));
    const adminToken = `synod_adm_${randomBytes(32).toString("base64url")}`;
    const clusterSecret = randomBytes(24).toString("base64url");
    const cluster = new ClusterUnderTest(adapter, network, root, ids, adminToken);
    const members = ids.map((id) => ({ id, peerAddress: `127.0.0.1:${peerPorts.get(id)}` }));
    for (const id of ids) {
      await mkdir(join(root, id));
      const routes = Object.fromEntries(ids.filter((o) => o !== id).map((o) => [o, network.proxy(id, o).address]));
      cluster.#specs.set(id, {
        id, clientPort: clientPorts.get(id) ?? 0, peerPort: peerPorts.get(id) ?? 0, dataDir: join(root, id), members, routes, adminToken, clusterSecret,
        electionTimeoutMs: spec.electionTimeoutMs ?? 1000, heartbeatMs: spec.heartbeatMs ?? 100, testControl: spec.testControl ?? true,
      });
      cluster.#states.set(id, "stopped");
    }
    ClusterUnderTest.#live.add(cluster);
    const starts = await Promise.allSettled(ids.map((id) => cluster.startNode(id)));
    const failed = starts.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
      await cluster.stop();
      throw failed.reason;
    }
    return cluster;
  }

  /** The client URL of a node. */
  url(id: string): string {
    const url = this.#urls.get(id);
    if (url === undefined) throw new Error(`node ${id} has not started (nodes: ${this.ids.join(", ")})`);
    return url;
  }

  /** A reference HubService client of a node, admin token, Connect binary over HTTP/2. */
  client(id: string): Client<typeof HubService> {
    let c = this.#clients.get(id);
    if (!c) {
      c = referenceClient(HubService, this.url(id), { token: this.adminToken });
      this.#clients.set(id, c);
    }
    return c;
  }

  /** The node whose client URL is `url`, if any. */
  nodeAt(url: string): string | undefined {
    const want = url.replace(/\/+$/, "");
    return this.ids.find((id) => this.#urls.get(id) === want);
  }

  state(id: string): NodeState {
    return this.#states.get(id) ?? "stopped";
  }

  /** Ids of nodes whose process runs (not killed, paused or stopped). */
  running(): string[] {
    return this.ids.filter((id) => this.state(id) === "running");
  }

  /** Starts (or restarts, on the same ports and data) a node that is not running. */
  async startNode(id: string): Promise<void> {
    const spec = this.#specs.get(id);
    if (!spec) throw new Error(`no node ${id} (nodes: ${this.ids.join(", ")})`);
    const s = this.state(id);
    if (s === "running" || s === "paused") throw new Error(`${id} is already ${s}`);
    const started = (await this.adapter.call("start", { node: spec }, 90_000)) as { clientUrl?: unknown };
    if (typeof started.clientUrl !== "string") throw new Error(`adapter start of ${id} returned no clientUrl`);
    this.#urls.set(id, started.clientUrl.replace(/\/+$/, ""));
    this.#states.set(id, "running");
  }

  /** SIGKILL or its equivalent; resolves once the process is gone. */
  async kill(id: string): Promise<void> {
    await this.adapter.call("kill", { node: id }, 30_000);
    this.#states.set(id, "killed");
  }

  /** Kills the node if it runs, then starts it again on the same ports and data. */
  async restart(id: string): Promise<void> {
    if (this.state(id) === "running" || this.state(id) === "paused") await this.kill(id);
    await this.startNode(id);
  }

  async pause(id: string): Promise<void> {
    if (this.state(id) !== "running") throw new Error(`cannot pause ${id}: it is ${this.state(id)}`);
    await this.adapter.call("pause", { node: id }, 30_000);
    this.#states.set(id, "paused");
  }

  async resume(id: string): Promise<void> {
    if (this.state(id) !== "paused") throw new Error(`cannot resume ${id}: it is ${this.state(id)}`);
    await this.adapter.call("resume", { node: id }, 30_000);
    this.#states.set(id, "running");
  }

  /** Status of every running node (an Error for one that did not answer in time). */
  async statuses(timeoutMs = statusTimeoutMs): Promise<Map<string, StatusResponse | Error>> {
    const live = this.running();
    const answers = await Promise.all(live.map((id) => this.client(id).status({}, { timeoutMs }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
    return new Map(live.map((id, i) => [id, answers[i] ?? new Error("no answer")]));
  }

  /**
   * Waits until one running node reports LEADER and a majority of the cluster agree
   * on it in its term (and, with `excluding`, it is not that node).
   * @returns the leader's id and term.
   * @throws Error after `timeoutMs` with the statuses last seen.
   */
  async leader(timeoutMs = 20_000, excluding?: string): Promise<{ node: string; term: bigint }> {
    let last = new Map<string, StatusResponse | Error>();
    let agreed: { node: string; term: bigint } | undefined;
    const found = await pollUntil(async () => {
      last = await this.statuses();
      agreed = agreedLeader(this.ids.length, last);
      return agreed !== undefined && agreed.node !== excluding;
    }, { timeoutMs });
    if (found && agreed) return agreed;
    const lines = [...last].map(([id, s]) => (s instanceof Error ? `${id}: ${s.message}` : `${id}: ${Role[s.role]} term ${s.term} leader ${s.leaderId || "-"}`));
    throw new Error(`no agreed leader${excluding ? ` other than ${excluding}` : ""} within ${timeoutMs} ms: ${lines.join("; ")}`);
  }


  /**
   * Kills every node (whatever the runner believes its state is: a start may have
   * failed half-way), closes the proxies and removes the data. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    ClusterUnderTest.#live.delete(this);
    await Promise.all(this.ids.map((id) => this.adapter.call("kill", { node: id }, 30_000).catch(() => undefined)));
    for (const id of this.ids) this.#states.set(id, "stopped");
    await this.network.close();
    await rm(this.root, { recursive: true, force: true });
  }

  /** Clusters started and not yet stopped. */
  static readonly #live = new Set<ClusterUnderTest>();

  /** Stops every cluster still running (the end of a run: a backstop for timed-out cases). */
  static async stopAll(): Promise<void> {
    await Promise.all([...ClusterUnderTest.#live].map((c) => c.stop()));
  }
}

/** The one node reporting LEADER, if a majority of `size` agree on it in its term. */
export function agreedLeader(size: number, statuses: ReadonlyMap<string, StatusResponse | Error>): { node: string; term: bigint } | undefined {
  const answers = [...statuses.values()].filter((s): s is StatusResponse => !(s instanceof Error));
  const leaders = answers.filter((s) => s.role === Role.LEADER);
  const leader = leaders[0];
  if (leaders.length !== 1 || !leader) return undefined;
  const agree = answers.filter((s) => s.term === leader.term && (s.nodeId === leader.nodeId || s.leaderId === leader.nodeId)).length;
  return agree >= Math.floor(size / 2) + 1 ? { node: leader.nodeId, term: leader.term } : undefined;
}
