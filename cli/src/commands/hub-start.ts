/** `synod hub start`: runs a hub node in the foreground until SIGINT/SIGTERM. */
import { Command, Option } from "commander";
import { readConfigFile, resolveHubConfig, startHub, streamLogger, ConfigError, type HubConfigInput } from "@synod/server";
import { CliError } from "../cli-error.js";

interface StartFlags {
  config?: string;
  dataDir?: string;
  listen?: string;
  nodeId?: string;
  entryTypes?: string;
  segmentBytes?: string;
}

/** Registers `hub start`. */
export function registerHubStart(hub: Command): void {
  hub
    .command("start")
    .description("Start a hub node in the foreground (Ctrl-C or `synod hub stop` stops it gracefully).")
    .option("--config <file>", "YAML config file (keys: data-dir, listen, node-id, entry-types, segment-bytes)")
    .option("--data-dir <dir>", "where the log and tokens live [env SYNOD_DATA_DIR] (default ./synod-data)")
    .option("--listen <host:port>", "client address; port 0 picks a free port [env SYNOD_LISTEN] (default 127.0.0.1:9900)")
    .option("--node-id <id>", "stable node id [env SYNOD_NODE_ID] (default n1)")
    .option("--entry-types <list>", "allowed entry types, comma-separated [env SYNOD_ENTRY_TYPES]")
    .addOption(new Option("--segment-bytes <n>", "log segment size bound in bytes").hideHelp())
    .addHelpText("after", "\nFlags win over SYNOD_* environment variables, which win over the config file.\nOn first start an admin token is printed once and saved to <data-dir>/admin.token (mode 0600).")
    .action(async (flags: StartFlags) => {
      let cfg;
      try {
        const file = flags.config ? readConfigFile(flags.config) : {};
        const input: HubConfigInput = { dataDir: flags.dataDir, listen: flags.listen, nodeId: flags.nodeId, entryTypes: flags.entryTypes, segmentBytes: flags.segmentBytes };
        for (const k of Object.keys(input) as (keyof HubConfigInput)[]) if (input[k] === undefined) delete input[k];
        cfg = resolveHubConfig({ file, env: process.env, flags: input });
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.message, 2);
        throw err;
      }
      const hub = await startHub(cfg, { logger: streamLogger() });
      process.stdout.write(`synod hub ${hub.nodeId} listening on ${hub.clientUrl} (mode single, data ${cfg.dataDir})\n`);
      if (hub.createdAdminToken) {
        process.stdout.write(`admin token (shown once; also saved to ${cfg.dataDir}/admin.token):\n  ${hub.createdAdminToken}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await hub.stop();
    });
}
