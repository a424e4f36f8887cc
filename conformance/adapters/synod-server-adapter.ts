/**
 * The server adapter for Synod's own hub (the contract is in
 * conformance/src/adapter/adapter-contract.ts and docs/conformance.md). Each node
 * is a `synod hub start` process in bootstrap mode.
 *
 * Usage: tsx conformance/adapters/synod-server-adapter.ts [--break <modes>]
 *
 * `--break` exists for the suite's own teeth tests only: it starts every node with
 * `SYNOD_TEST_BREAK=<modes>`, which a hub honours only together with
 * `--enable-test-control`, to get a deliberately broken server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AdapterRequest, NodeSpec, StartedNode } from "../src/adapter/adapter-contract.js";

const synodBin = fileURLToPath(new URL("../../cli/bin/synod.js", import.meta.url));
/** Lines of a node's stderr quoted when it fails to start. */
const stderrLinesKept = 10;
/** How long a node may take to listen after it is spawned. */
const startTimeoutMs = 60_000;

const { values } = parseArgs({ options: { break: { type: "string" } } });
const breakModes = values.break ?? "";
const nodes = new Map<string, ChildProcess>();

function hubArgs(n: NodeSpec): string[] {
  const bootstrap = n.members.map((m) => `${m.id}=${m.peerAddress}`).join(",");
  const routes = Object.entries(n.routes).map(([id, addr]) => `${id}=${addr}`).join(",");
  return [
    ...[synodBin, "hub", "start", "--data-dir", n.dataDir, "--node-id", n.id],
    ...["--listen", `127.0.0.1:${n.clientPort}`, "--peer-listen", `127.0.0.1:${n.peerPort}`],
    ...["--bootstrap", bootstrap, ...(routes ? ["--peer-route", routes] : [])],
    ...["--cluster-secret", n.clusterSecret, "--admin-token", n.adminToken],
    ...["--election-timeout-ms", String(n.electionTimeoutMs), "--heartbeat-ms", String(n.heartbeatMs)],
    ...(n.testControl ? ["--enable-test-control"] : []),
  ];
}

async function start(n: NodeSpec): Promise<StartedNode> {
  const old = nodes.get(n.id);
  if (old && old.exitCode === null && old.signalCode === null) throw new Error(`${n.id} is already running`);
  const env = { ...process.env, ...(breakModes ? { SYNOD_TEST_BREAK: breakModes } : {}) };
  const child = spawn(process.execPath, hubArgs(n), { stdio: ["ignore", "pipe", "pipe"], env });
  nodes.set(n.id, child);
  const recent: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    process.stderr.write(`[${n.id}] ${line}\n`);
    recent.push(line);
    if (recent.length > stderrLinesKept) recent.shift();
  });
  const clientUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${n.id} did not listen within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      // "close" comes after its output is read. Its last words (an EADDRINUSE among them tells the runner to retry on other ports).
      reject(new Error(`${n.id} exited (${code ?? signal}) before listening: ${recent.join(" | ")}`));
    });
  });
  return { clientUrl, ...(child.pid !== undefined ? { pid: child.pid } : {}) };
}

function signal(id: string, sig: NodeJS.Signals): Promise<void> | void {
  const child = nodes.get(id);
  if (!child) throw new Error(`no node ${id}`);
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (sig === "SIGSTOP" || sig === "SIGCONT") {
    child.kill(sig);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(sig);
  return exited;
}

async function handle(req: AdapterRequest): Promise<unknown> {
  switch (req.op) {
    case "hello":
      return { implementation: "synod 0.1.0", contract: 1 };
    case "start":
      return start(req.node);
    case "kill":
      await signal(req.node, "SIGKILL");
      return {};
    case "stop":
      await signal(req.node, "SIGTERM");
      return {};
    case "pause":
      await signal(req.node, "SIGSTOP");
      return {};
    case "resume":
      await signal(req.node, "SIGCONT");
      return {};
    case "shutdown":
      await shutdown();
      return {};
  }
}

async function shutdown(): Promise<void> {
  await Promise.all([...nodes.keys()].map((id) => signal(id, "SIGKILL")));
}

const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (line.trim() === "") return;
  let req: AdapterRequest;
  try {
    req = JSON.parse(line) as AdapterRequest;
  } catch {
    process.stderr.write(`adapter: ignoring a line that is not JSON: ${line.slice(0, 200)}\n`);
    return;
  }
  handle(req).then(
    (ok) => process.stdout.write(`${JSON.stringify({ id: req.id, ok })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ id: req.id, error: err instanceof Error ? err.message : String(err) })}\n`),
  );
});
input.on("close", () => {
  void shutdown().then(() => process.exit(0));
});
