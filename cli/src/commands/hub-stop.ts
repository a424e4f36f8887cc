/** `synod hub stop`: asks the hub on a data directory to stop, and waits until it has. */
import { Command } from "commander";
import { runningPid } from "@synod/server";
import { CliError } from "../cli-error.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Registers `hub stop`. */
export function registerHubStop(hub: Command): void {
  hub
    .command("stop")
    .description("Stop the hub running on a data directory gracefully (finishes in-flight writes, then exits).")
    .option("--data-dir <dir>", "data directory of the hub [env SYNOD_DATA_DIR]", process.env.SYNOD_DATA_DIR ?? "./synod-data")
    .option("--timeout <seconds>", "how long to wait before giving up", "30")
    .action(async (o: { dataDir: string; timeout: string }) => {
      const pid = await runningPid(o.dataDir);
      if (pid === undefined) {
        process.stdout.write(`no hub is running on ${o.dataDir}\n`);
        return;
      }
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + Number(o.timeout) * 1000;
      // Polling a pid is the only portable way to wait for an unrelated process.
      while (alive(pid)) {
        if (Date.now() > deadline) throw new CliError(`hub (pid ${pid}) did not stop within ${o.timeout}s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      process.stdout.write(`hub on ${o.dataDir} stopped (pid ${pid})\n`);
    });
}
