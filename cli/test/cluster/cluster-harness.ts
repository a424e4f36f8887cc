/**
 * A real 3- or 5-node Synod cluster on loopback for fault tests (DESIGN §5, §8, §9):
 * `synod hub start` processes in bootstrap mode, each peer link through its own TCP
 * proxy so tests can partition the network, with process faults (SIGKILL, restart on
 * the same ports and data, SIGSTOP/SIGCONT) on top. Call `stop()` in `afterEach`, and
 * keep `cleanupProcesses` from the process harness as the backstop.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import type { Client } from "@connectrpc/connect";
import { Role } from "@synod/proto/entry";
import type { HubService, StatusResponse } from "@synod/proto/hub";
import { tempDir } from "../process-harness.js";
import { ClusterNode, type NodeHandle } from "./cluster-node.js";
import { distinctFreePorts, startProxyMesh, type CutMode, type ProxyMesh } from "@synod/conformance/network";

/** Raft timers passed to every node. */
export interface ClusterTimers {
  /** Base election timeout (`--election-timeout-ms`); default 1000. */
  readonly electionTimeoutMs: number;
  /** Leader heartbeat period (`--heartbeat-ms`); default 100. */
  readonly heartbeatMs: number;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Number of voters, 1..7 (3 or 5 in practice). */
  readonly size: number;
  readonly timers?: Partial<ClusterTimers>;
  /** How partitions cut links unless a call says otherwise; default `"blackhole"`. */
  readonly cutMode?: CutMode;
  /** Hard timeout of each node process in ms; default 300000. */
  readonly processTimeoutMs?: number;
  /** Extra `hub start` arguments for a node (appended after the harness's own). */
  readonly extraArgs?: (id: string) => readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** A running test cluster. Node ids are `n1` .. `n<size>`. */
export interface Cluster {
  readonly ids: readonly string[];
  readonly nodes: ReadonlyMap<string, NodeHandle>;
  /** A raw HubService client per node (the same as `nodes.get(id).client`). */
  readonly clients: ReadonlyMap<string, Client<typeof HubService>>;
  /** The admin token every node accepts. */
  readonly adminToken: string;
  /** The proxies, for byte counts and delays. */
  readonly network: ProxyMesh;
  /** SIGKILL; resolves once the process has exited. */
  kill(id: string): Promise<void>;
  /** Starts the node again on the same ports and data directory (killing it first if alive). */
  restart(id: string): Promise<void>;
  /** SIGSTOP. */
  pause(id: string): void;
  /** SIGCONT. */
  resume(id: string): void;
  /** Sets the network to exactly these groups (every node listed once); see {@link ProxyMesh.partition}. */
  partition(groups: readonly (readonly string[])[], mode?: CutMode): void;
  /** Cuts every link to and from `id`. */
  isolate(id: string, mode?: CutMode): void;
  /** Cuts one directed link. */
  cutLink(from: string, to: string, mode?: CutMode): void;
  /** Heals every link (processes are not touched). */
  heal(): void;
  /** Ids of nodes whose process is running (not killed, paused or exited). */
  running(): string[];
  /** Status of every running node (an Error for a node that did not answer within `timeoutMs`). */
  statuses(timeoutMs?: number): Promise<Map<string, StatusResponse | Error>>;
  /**
   * Waits until exactly one running node reports `LEADER` and a majority of the whole
   * cluster (that node included) report it as leader in its term; resolves with its id.
   * With `excluding`, waits for a leader other than that node (right after a fault the
   * old leader is still agreed on until the election timeout passes).
   * Rejects after `timeoutMs` (default 15000) with the last statuses seen.
   */
  leader(timeoutMs?: number, excluding?: string): Promise<string>;
  /**
   * Waits until a leader is agreed (as in {@link leader}) and every running node answers
   * Status with the admin token (a node that has not yet applied the token record
   * answers `unauthenticated`). Resolves with the leader's id; rejects after `timeoutMs`
   * (default 15000) with the last statuses.
   */
  ready(timeoutMs?: number): Promise<string>;
  /** Kills every process, closes the proxies and removes the data directories. Idempotent. */
  stop(): Promise<void>;
}

const defaultTimers: ClusterTimers = { electionTimeoutMs: 1000, heartbeatMs: 100 };
/** Pause between polls in {@link Cluster.leader}: it waits on processes outside the test. */
const leaderPollMs = 50;
const statusTimeoutMs = 500;

/** A fresh admin token in the server's format: `synod_adm_` and 43 base64url characters. */
export function newAdminToken(): string {
  return `synod_adm_${randomBytes(32).toString("base64url")}`;
}

/** What {@link bootstrapArgs} needs for one node. */
export interface BootstrapArgsInput {
  readonly id: string;
  readonly clientPort: number;
  readonly peerPort: number;
  /** `n1=127.0.0.1:<peer port>,...`: the real peer address of every initial member. */
  readonly bootstrap: string;
  /** `n2=127.0.0.1:<proxy port>,...`: where this node dials each other member. */
  readonly peerRoutes: string;
  readonly clusterSecret: string;
  readonly adminToken: string;
  readonly timers: ClusterTimers;
}

/** The `hub start` arguments (after `--data-dir`) of one bootstrap-mode member. */
export function bootstrapArgs(a: BootstrapArgsInput): string[] {
  return [
    ...["--node-id", a.id, "--listen", `127.0.0.1:${a.clientPort}`, "--peer-listen", `127.0.0.1:${a.peerPort}`],
    ...["--bootstrap", a.bootstrap, "--peer-route", a.peerRoutes],
    ...["--cluster-secret", a.clusterSecret, "--admin-token", a.adminToken],
    ...["--election-timeout-ms", String(a.timers.electionTimeoutMs), "--heartbeat-ms", String(a.timers.heartbeatMs)],
  ];
}

/** Starts a cluster and resolves once every node listens (not once a leader exists: see `leader()`). */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  if (!Number.isInteger(opts.size) || opts.size < 1 || opts.size > 7) throw new RangeError(`cluster size ${opts.size} is not 1..7`);
  const ids = Array.from({ length: opts.size }, (_, i) => `n${i + 1}`);
  const timers = { ...defaultTimers, ...opts.timers };
  const adminToken = newAdminToken();
  const clusterSecret = randomBytes(24).toString("base64url");
  const ports = await distinctFreePorts(2 * ids.length);
  const clientPorts = new Map(ids.map((id, i) => [id, ports[2 * i] ?? 0]));
  const peerPorts = new Map(ids.map((id, i) => [id, ports[2 * i + 1] ?? 0]));
  const network = await startProxyMesh(peerPorts, new Set(ports), opts.cutMode);
  const bootstrap = ids.map((id) => `${id}=127.0.0.1:${peerPorts.get(id)}`).join(",");
  const nodes = new Map<string, ClusterNode>();
  for (const id of ids) {
    const args = [
      ...bootstrapArgs({ id, clientPort: clientPorts.get(id) ?? 0, peerPort: peerPorts.get(id) ?? 0, bootstrap, peerRoutes: network.routesFor(id), clusterSecret, adminToken, timers }),
      ...(opts.extraArgs?.(id) ?? []),
    ];
    const spec = { id, clientPort: clientPorts.get(id) ?? 0, peerPort: peerPorts.get(id) ?? 0, dataDir: await tempDir(), args, adminToken, processTimeoutMs: opts.processTimeoutMs ?? 300_000, env: opts.env };
    nodes.set(id, new ClusterNode(spec));
  }
  const cluster = clusterHandle(ids, nodes, network, adminToken);
  try {
    await Promise.all([...nodes.values()].map((n) => n.start()));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

function clusterHandle(ids: readonly string[], nodes: ReadonlyMap<string, ClusterNode>, network: ProxyMesh, adminToken: string): Cluster {
  const node = (id: string): ClusterNode => {
    const n = nodes.get(id);
    if (!n) throw new Error(`no node ${id} (nodes: ${ids.join(", ")})`);
    return n;
  };
  const running = (): string[] => ids.filter((id) => node(id).state() === "running");
  const statuses = async (timeoutMs = statusTimeoutMs): Promise<Map<string, StatusResponse | Error>> => {
    const live = running();
    const answers = await Promise.all(live.map((id) => node(id).client.status({}, { timeoutMs }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
    return new Map(live.map((id, i) => [id, answers[i] ?? new Error("no answer")]));
  };
  /** Adds the process states to a timeout, so a crashed node is visible at once. */
  const withStates = (err: unknown): never => {
    const states = ids.map((id) => `${id}=${node(id).state()}`).join(" ");
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nprocesses: ${states}`, { cause: err });
  };
  let stopped = false;
  return {
    ids,
    nodes,
    clients: new Map(ids.map((id) => [id, node(id).client])),
    adminToken,
    network,
    kill: (id) => node(id).kill(),
    restart: async (id) => {
      const n = node(id);
      if (n.state() === "running" || n.state() === "paused") await n.kill();
      await n.start();
    },
    pause: (id) => node(id).pause(),
    resume: (id) => node(id).resume(),
    partition: (groups, mode) => network.partition(groups, mode),
    isolate: (id, mode) => network.isolate(id, mode),
    cutLink: (from, to, mode) => network.cutLink(from, to, mode),
    heal: () => network.heal(),
    running,
    statuses,
    leader: (timeoutMs = 15_000, excluding) => awaitLeader(ids.length, statuses, timeoutMs, { excluding }).catch(withStates),
    ready: (timeoutMs = 15_000) => awaitLeader(ids.length, statuses, timeoutMs, { allAnswer: true }).catch(withStates),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all([...nodes.values()].map((n) => n.stop()));
      await network.close();
      await Promise.all([...nodes.values()].map((n) => rm(n.dataDir, { recursive: true, force: true })));
    },
  };
}

async function awaitLeader(size: number, statuses: () => Promise<Map<string, StatusResponse | Error>>, timeoutMs: number, want: { excluding?: string | undefined; allAnswer?: boolean }): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let last = new Map<string, StatusResponse | Error>();
  for (;;) {
    last = await statuses();
    const agreed = agreedLeader(size, last);
    const answered = !want.allAnswer || [...last.values()].every((s) => !(s instanceof Error));
    if (agreed !== undefined && agreed !== want.excluding && answered) return agreed;
    if (performance.now() >= deadline) {
      const what = want.excluding === undefined ? "no leader" : `no leader other than ${want.excluding}`;
      throw new Error(`${what} agreed by a majority${want.allAnswer ? " with every running node answering" : ""} within ${timeoutMs} ms; last statuses:\n${describeStatuses(last)}`);
    }
    await new Promise((r) => setTimeout(r, leaderPollMs));
  }
}

/** The one node reporting LEADER, if a majority of `size` agree on it in its term. */
export function agreedLeader(size: number, statuses: ReadonlyMap<string, StatusResponse | Error>): string | undefined {
  const answers = [...statuses.values()].filter((s): s is StatusResponse => !(s instanceof Error));
  const leaders = answers.filter((s) => s.role === Role.LEADER);
  const leader = leaders[0];
  if (leaders.length !== 1 || !leader) return undefined;
  const agree = answers.filter((s) => s.term === leader.term && (s.nodeId === leader.nodeId || s.leaderId === leader.nodeId)).length;
  return agree >= Math.floor(size / 2) + 1 ? leader.nodeId : undefined;
}

function describeStatuses(statuses: ReadonlyMap<string, StatusResponse | Error>): string {
  return [...statuses]
    .map(([id, s]) => (s instanceof Error ? `  ${id}: ${s.message}` : `  ${id}: role ${Role[s.role]} term ${s.term} leader ${s.leaderId || "-"} commit ${s.commitSeq}`))
    .join("\n");
}
