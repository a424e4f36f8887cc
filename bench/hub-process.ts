/** Starts `synod hub start` as a child process for benchmarks. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const synodBin = fileURLToPath(new URL("../cli/bin/synod.js", import.meta.url));

/** A hub process and how to get rid of it. */
export interface BenchHub {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a hub on a fresh temp data directory (removed by stop). */
export async function startBenchHub(extra: readonly string[] = []): Promise<BenchHub> {
  const dir = await mkdtemp(join(tmpdir(), "synod-bench-"));
  const child = spawn(process.execPath, [synodBin, "hub", "start", "--data-dir", dir, "--listen", "127.0.0.1:0", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`hub exited with ${code}`)));
  });
  const token = (await readFile(join(dir, "admin.token"), "utf8")).trim();
  return {
    url,
    token,
    child,
    stop: async () => {
      await new Promise<void>((r) => {
        child.once("exit", () => r());
        child.kill("SIGTERM");
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
