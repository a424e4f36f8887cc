/**
 * `synod dev`: a local hub on loopback for trying Synod, as child processes
 * with data under `.synod-dev/`. Until clustering lands this runs one node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { CliError } from "../cli-error.js";

const synodBin = fileURLToPath(new URL("../../bin/synod.js", import.meta.url));

/** Starts one `synod hub start` child and resolves with its URL once it listens. */
function startNode(dir: string, nodeId: string, listen: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [synodBin, "hub", "start", "--data-dir", dir, "--node-id", nodeId, "--listen", listen], {
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
    .description("Run a local hub on loopback for development (data in .synod-dev/); Ctrl-C stops it.")
    .option("--dir <dir>", "where the nodes keep their data", ".synod-dev")
    .option("--port <port>", "client port of the first node", "9900")
    .action(async (o: { dir: string; port: string }) => {
      const base = resolve(o.dir);
      const nodes = [{ id: "n1", listen: `127.0.0.1:${o.port}` }];
      const started: ChildProcess[] = [];
      const urls: string[] = [];
      try {
        for (const n of nodes) {
          const s = await startNode(join(base, n.id), n.id, n.listen);
          started.push(s.child);
          urls.push(s.url);
        }
      } catch (err) {
        await stopAll(started);
        throw err;
      }
      const token = (await readFile(join(base, "n1", "admin.token"), "utf8")).trim();
      const url = urls[0] ?? "";
      const hostPort = url.replace(/^http:\/\//, "");
      process.stdout.write(
        [
          ``,
          `Synod dev hub running (1 node; clustering arrives with the cluster milestone)`,
          `  client URL:  ${url}`,
          `  admin token: ${token}`,
          ``,
          `Try, in another terminal:`,
          `  npx synod hub status --url ${url} --token ${token}`,
          `  npx synod connection register ${hostPort} --token ${token}`,
          `  npx synod connection publish --type decision "Use Raft for the hub"`,
          `  npx synod connection listen`,
          ``,
          `Ctrl-C stops the hub; data stays in ${base}.`,
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
