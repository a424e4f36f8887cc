/** Starts a 3- or 5-node bootstrap cluster of `synod hub start` processes for benchmarks (direct links, no proxies). */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Role } from "@synod/proto/entry";
import { HubService } from "@synod/proto/hub";
import { freePort } from "@synod/conformance/network";

const synodBin = fileURLToPath(new URL("../cli/bin/synod.js", import.meta.url));

/** One node of a benchmark cluster. */
export interface BenchNode {
  readonly id: string;
  readonly url: string;
  readonly args: string[];
  child: ChildProcess;
}

/** A benchmark cluster. */
export interface BenchCluster {
  readonly nodes: BenchNode[];
  readonly token: string;
  client(url: string): Client<typeof HubService>;
  /** Polls until one node leads; resolves with it. */
  leader(timeoutMs?: number, excluding?: string): Promise<BenchNode>;
  kill(node: BenchNode): Promise<void>;
  start(node: BenchNode): Promise<void>;
  stop(): Promise<void>;
}

function launch(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [synodBin, "hub", "start", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.resume();
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("listening on")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`node exited with ${code}`)));
  });
}

/** Starts `size` nodes with the given timers. */
export async function startBenchCluster(size: number, timers: { electionMs: number; heartbeatMs: number }): Promise<BenchCluster> {
  const root = await mkdtemp(join(tmpdir(), "synod-bench-cluster-"));
  const token = "synod_adm_" + randomBytes(32).toString("base64url");
  const secret = randomBytes(24).toString("base64url");
  const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
  const ports: number[] = [];
  for (let i = 0; i < 2 * size; i++) ports.push(await freePort());
  const bootstrap = ids.map((id, i) => `${id}=127.0.0.1:${ports[2 * i + 1]}`).join(",");
  const nodes: BenchNode[] = ids.map((id, i) => ({
    id,
    url: `http://127.0.0.1:${ports[2 * i]}`,
    args: ["--data-dir", join(root, id), "--node-id", id, "--listen", `127.0.0.1:${ports[2 * i]}`, "--peer-listen", `127.0.0.1:${ports[2 * i + 1]}`, "--bootstrap", bootstrap, "--cluster-secret", secret, "--admin-token", token, "--election-timeout-ms", String(timers.electionMs), "--heartbeat-ms", String(timers.heartbeatMs)],
    child: undefined as unknown as ChildProcess,
  }));
  await Promise.all(nodes.map(async (n) => (n.child = await launch(n.args))));
  const clients = new Map<string, Client<typeof HubService>>();
  const client = (url: string): Client<typeof HubService> => {
    let c = clients.get(url);
    if (!c) {
      c = createClient(HubService, createConnectTransport({ baseUrl: url, httpVersion: "2", interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))] }));
      clients.set(url, c);
    }
    return c;
  };
  const alive = (n: BenchNode): boolean => n.child.exitCode === null && n.child.signalCode === null;
  return {
    nodes,
    token,
    client,
    async leader(timeoutMs = 20_000, excluding?: string) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const n of nodes.filter(alive)) {
          if (n.id === excluding) continue;
          const s = await client(n.url).status({}, { timeoutMs: 300 }).catch(() => undefined);
          if (s?.role === Role.LEADER) return n;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("no leader");
    },
    async kill(n) {
      if (!alive(n)) return;
      const exited = new Promise((r) => n.child.once("exit", r));
      n.child.kill("SIGKILL");
      await exited;
    },
    async start(n) {
      n.child = await launch(n.args);
    },
    async stop() {
      await Promise.all(nodes.filter(alive).map((n) => new Promise((r) => (n.child.once("exit", r), n.child.kill("SIGKILL")))));
      await rm(root, { recursive: true, force: true });
    },
  };
}
