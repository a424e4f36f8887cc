/**
 * `synod dev`: a local 3-node cluster on loopback for trying Synod, as child
 * processes with data under `.synod-dev/`; Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { CliError } from "../cli-error.js";
import { freePort } from "@synod/conformance/network";

const synodBin = fileURLToPath(new URL("../../bin/synod.js", import.meta.url));

/** Starts one `synod hub start` child and resolves with its URL once it listens. */
function startNode(dir: string, nodeId: string, extra: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [synodBin, "hub", "start", "--data-dir", dir, "--node-id", nodeId, ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolvePromise, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (\S+)/);
      if (m?.[1]) resolvePromise({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new CliError(`node ${nodeId} exited with code ${code} before listening`)));
  });
}

function stopAll(children: readonly ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once("exit", () => r());
          c.kill("SIGTERM");
        }),
    ),
  ).then(() => undefined);
}

/** Registers `synod dev`. */
export function registerDevCommand(program: Command): void {
  program
    .command("dev")
    .description("Run a local 3-node cluster on loopback for development (data in .synod-dev/); Ctrl-C stops it.")
    .option("--dir <dir>", "where the nodes keep their data", ".synod-dev")
    .option("--port <port>", "client port of the first node; the others use +10 and +20, peers +1 (0 picks free ports)", "9900")
    .option("--nodes <n>", "how many nodes: 1, 3 or 5", "3")
    .action(async (o: { dir: string; port: string; nodes: string }) => {
      const base = resolve(o.dir);
      const count = Number(o.nodes);
      if (![1, 3, 5].includes(count)) throw new CliError("--nodes must be 1, 3 or 5", 2);
      const nodes = await plan(count, Number(o.port));
      const settings = await devSettings(base);
      const bootstrap = nodes.map((n) => `${n.id}=${n.peer}`).join(",");
      const started: ChildProcess[] = [];
      const urls: string[] = [];
      try {
        const launches = nodes.map((n) => {
          const cluster = count === 1 ? [] : ["--bootstrap", bootstrap, "--cluster-secret", settings.secret];
          return startNode(join(base, n.id), n.id, ["--listen", n.client, "--peer-listen", n.peer, "--admin-token", settings.adminToken, ...cluster]);
        });
        for (const s of await Promise.all(launches)) {
          started.push(s.child);
          urls.push(s.url);
        }
      } catch (err) {
        await stopAll(started);
        throw err;
      }
      const token = settings.adminToken;
      const url = urls[0] ?? "";
      const hostPort = url.replace(/^http:\/\//, "");
      const others = urls.slice(1).map((u) => u.replace(/^http:\/\//, "")).join(",");
      process.stdout.write(
        [
          ``,
          `Synod dev cluster running (${count} node${count === 1 ? "" : "s"})`,
          ...urls.map((u, i) => `  ${i === 0 ? "client URL:  " : "             "}${u}  (${nodes[i]?.id})`),
          `  admin token: ${token}`,
          ``,
          `Try, in another terminal:`,
          `  npx synod hub status --url ${url} --token ${token}`,
          `  npx synod connection register ${hostPort} --token ${token}${others ? ` --peers ${others}` : ""}`,
          `  npx synod connection publish --type decision "Use Raft for the hub"`,
          `  npx synod connection listen`,
          ``,
          `  npx synod hub stepdown --url ${url} --token ${token}`,
          ``,
          `Ctrl-C stops the cluster; data stays in ${base}.`,
          ``,
        ].join("\n"),
      );
      await new Promise<void>((r) => {
        process.once("SIGINT", () => r());
        process.once("SIGTERM", () => r());
        for (const c of started) c.once("exit", () => r());
      });
      await stopAll(started);
    });
}

/** Client and peer addresses of each node (free ports when base is 0). */
async function plan(count: number, basePort: number): Promise<{ id: string; client: string; peer: string }[]> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const client = basePort === 0 ? await freePort() : basePort + 10 * i;
    const peer = basePort === 0 ? await freePort() : basePort + 10 * i + 1;
    out.push({ id: `n${i + 1}`, client: `127.0.0.1:${client}`, peer: `127.0.0.1:${peer}` });
  }
  return out;
}

/** The dev cluster's secret and admin token: made once, kept in <dir>/dev.json (mode 0600). */
async function devSettings(base: string): Promise<{ secret: string; adminToken: string }> {
  const file = join(base, "dev.json");
  const saved = await readFile(file, "utf8").then((t) => JSON.parse(t) as { secret: string; adminToken: string }, () => undefined);
  if (saved) return saved;
  const settings = { secret: randomBytes(24).toString("base64url"), adminToken: "synod_adm_" + randomBytes(32).toString("base64url") };
  await mkdir(base, { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(settings) + "\n", { mode: 0o600 });
  return settings;
}
