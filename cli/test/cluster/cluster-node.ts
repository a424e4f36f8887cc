/**
 * One member of a test cluster: a real `synod hub start` process in bootstrap mode
 * that can be killed, restarted on the same ports and data directory, paused and
 * resumed. Processes are spawned through the process harness, so each has a hard
 * timeout and `cleanupProcesses()` kills whatever a failed test left behind.
 */
import type { Client } from "@connectrpc/connect";
import type { HubService } from "@synod/proto/hub";
import { hubClient } from "../hub-client.js";
import { spawnHub, type HubProcess } from "../process-harness.js";

/**
 * What a node's process is doing, as far as the harness knows: `killed` by the test,
 * `exited` on its own (a crash, or its hard timeout), `stopped` at the end or before start.
 */
export type NodeState = "running" | "paused" | "killed" | "exited" | "stopped";

/** A cluster member as tests see it. Ports and data directory never change. */
export interface NodeHandle {
  /** The node id (`n1`, `n2`, ...). */
  readonly id: string;
  /** Client URL, `http://127.0.0.1:<clientPort>`. */
  readonly url: string;
  /** The port clients use (HTTP/1.1 and HTTP/2). */
  readonly clientPort: number;
  /** The real peer port; other nodes reach it through proxies. */
  readonly peerPort: number;
  /** The node's data directory (kept across restarts). */
  readonly dataDir: string;
  /** A raw HubService client for this node, authenticated with the admin token. */
  readonly client: Client<typeof HubService>;
  /** Current state of the process. */
  state(): NodeState;
  /** The OS pid of the current process, if one is running or paused. */
  pid(): number | undefined;
  /** Everything every incarnation of this node wrote to stderr, with a header per start. */
  stderr(): string;
  /** Resolves with the exit code or signal once the current process has exited (at once if none runs). */
  exited(): Promise<number | NodeJS.Signals | undefined>;
}

/** How to start a node: everything but the process itself. */
export interface NodeSpec {
  readonly id: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  /** The `hub start` arguments after `--data-dir`, identical on every start. */
  readonly args: readonly string[];
  readonly adminToken: string;
  /** Hard timeout of each process, in ms. */
  readonly processTimeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Attempts to start a node before giving up (a restart may race a port still in TIME_WAIT use). */
const startAttemptsMax = 3;

/** A node the harness controls. Only the harness calls the mutating methods. */
export class ClusterNode implements NodeHandle {
  readonly id: string;
  readonly url: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly client: Client<typeof HubService>;
  private proc: HubProcess | undefined;
  private current: NodeState = "stopped";
  private readonly logs: string[] = [];
  private starts = 0;

  constructor(private readonly spec: NodeSpec) {
    this.id = spec.id;
    this.clientPort = spec.clientPort;
    this.peerPort = spec.peerPort;
    this.dataDir = spec.dataDir;
    this.url = `http://127.0.0.1:${spec.clientPort}`;
    this.client = hubClient(this.url, spec.adminToken);
  }

  state(): NodeState {
    return this.current;
  }

  pid(): number | undefined {
    return this.current === "running" || this.current === "paused" ? this.proc?.child.pid : undefined;
  }

  exited(): Promise<number | NodeJS.Signals | undefined> {
    return this.proc ? this.proc.exited() : Promise.resolve(undefined);
  }

  stderr(): string {
    return [...this.logs, this.proc ? this.proc.stderr() : ""].join("");
  }

  /** Starts the process and resolves once it listens. Rejects (with stderr) if it cannot. */
  async start(): Promise<void> {
    if (this.current === "running" || this.current === "paused") throw new Error(`${this.id} is already ${this.current}`);
    for (let attempt = 1; ; attempt++) {
      this.retireProcess();
      this.logs.push(`--- ${this.id} start ${++this.starts} ---\n`);
      try {
        this.proc = await spawnHub(this.dataDir, this.spec.args, { env: this.spec.env, timeoutMs: this.spec.processTimeoutMs });
        break;
      } catch (err) {
        this.logs.push(`${String(err)}\n`);
        const busy = err instanceof Error && /EADDRINUSE/.test(err.message);
        if (!busy || attempt >= startAttemptsMax) throw new Error(`${this.id} failed to start: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 200 * attempt)); // back off: the port is still held
      }
    }
    this.current = "running";
    if (!this.proc.url.endsWith(`:${this.clientPort}`)) throw new Error(`${this.id} listens on ${this.proc.url}, expected port ${this.clientPort}`);
    const child = this.proc.child;
    child.once("exit", () => {
      if (this.proc?.child === child && (this.current === "running" || this.current === "paused")) this.current = "exited";
    });
  }

  /** SIGKILL (works on a paused process too); resolves once it has exited. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) {
      this.current = "killed";
      return;
    }
    const done = p.exited();
    this.current = "killed"; // before the signal, so the exit handler does not report a crash
    p.child.kill("SIGKILL");
    await done;
  }

  /** SIGSTOP: the process keeps its sockets but does nothing, like a long GC pause or a frozen VM. */
  pause(): void {
    if (this.current !== "running" || !this.proc) throw new Error(`cannot pause ${this.id}: it is ${this.current}`);
    this.proc.child.kill("SIGSTOP");
    this.current = "paused";
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    if (this.current !== "paused" || !this.proc) throw new Error(`cannot resume ${this.id}: it is ${this.current}`);
    this.proc.child.kill("SIGCONT");
    this.current = "running";
  }

  /** Kills the process for good (end of test). */
  async stop(): Promise<void> {
    await this.kill();
    this.current = "stopped";
  }

  private retireProcess(): void {
    if (this.proc) this.logs.push(this.proc.stderr());
    this.proc = undefined;
  }
}
