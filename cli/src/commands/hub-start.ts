/** `synod hub start`: runs a hub node in the foreground until SIGINT/SIGTERM. */
import { Command, Option } from "commander";
import { readConfigFile, resolveHubConfig, startHub, streamLogger, ConfigError, type HubConfigInput } from "@synod/server";
import { CliError } from "../cli-error.js";

const collect = (v: string, acc: string[]): string[] => [...acc, ...v.split(",").filter(Boolean)];

/** Flag name → config key, for the flags that map one to one. */
const flagKeys: Record<string, keyof HubConfigInput> = {
  dataDir: "dataDir", listen: "listen", nodeId: "nodeId", entryTypes: "entryTypes", segmentBytes: "segmentBytes",
  mode: "mode", peerListen: "peerListen", bootstrap: "bootstrap", peerRoute: "peerRoutes", clusterSecret: "clusterSecret",
  join: "join", joinToken: "joinToken", adminToken: "adminToken", electionTimeoutMs: "electionTimeoutMs", heartbeatMs: "heartbeatMs",
  advertiseClientUrl: "advertiseClientUrl", advertisePeerUrl: "advertisePeerUrl", enableTestControl: "enableTestControl",
};

function configFrom(flags: Record<string, unknown>) {
  try {
    const file = typeof flags.config === "string" ? readConfigFile(flags.config) : {};
    const input: Record<string, unknown> = {};
    for (const [flag, key] of Object.entries(flagKeys)) {
      const v = flags[flag];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) input[key] = v;
    }
    return resolveHubConfig({ file, env: process.env, flags: input as HubConfigInput });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** Registers `hub start`. */
export function registerHubStart(hub: Command): void {
  hub
    .command("start")
    .description("Start a hub node in the foreground (Ctrl-C or `synod hub stop` stops it gracefully).")
    .option("--config <file>", "YAML config file (keys as the long flags: data-dir, listen, bootstrap, …)")
    .option("--data-dir <dir>", "where the log and tokens live [env SYNOD_DATA_DIR] (default ./synod-data)")
    .option("--listen <host:port>", "client address; port 0 picks a free port [env SYNOD_LISTEN] (default 127.0.0.1:9900)")
    .option("--node-id <id>", "stable node id [env SYNOD_NODE_ID] (default n1)")
    .option("--entry-types <list>", "allowed entry types, comma-separated [env SYNOD_ENTRY_TYPES]")
    .addOption(new Option("--mode <mode>", "single, bootstrap or join (default: from the flags below)").choices(["single", "bootstrap", "join"]))
    .option("--peer-listen <host:port>", "node-to-node address (default: client port + 1)")
    .option("--bootstrap <list>", "bootstrap a cluster: id=host:port peer addresses of every initial member, this node included", collect, [] as string[])
    .option("--cluster-secret <secret>", "shared secret of node-to-node calls [env SYNOD_CLUSTER_SECRET]")
    .option("--join <url>", "join a running cluster through this member's client URL")
    .option("--join-token <token>", "join token from `synod hub token create --join`")
    .option("--admin-token <token>", "admin token to install on a new cluster (default: generate and print one) [env SYNOD_ADMIN_TOKEN]")
    .option("--election-timeout-ms <ms>", "base election timeout (randomized up to 2x) (default 300)")
    .option("--heartbeat-ms <ms>", "leader heartbeat period (default 50)")
    .option("--advertise-client-url <url>", "client URL to give peers and clients (default from --listen)")
    .option("--advertise-peer-url <url>", "peer URL to give peers (default from --peer-listen)")
    .option("--enable-test-control", "TESTS ONLY: serve the ControlService fail points (any admin can crash or stall this node); never in production [env SYNOD_ENABLE_TEST_CONTROL=1]")
    .addOption(new Option("--peer-route <id=host:port>", "dial this address for a peer (repeatable)").argParser(collect).default([]).hideHelp())
    .addOption(new Option("--segment-bytes <n>", "log segment size bound in bytes").hideHelp())
    .addHelpText(
      "after",
      [
        "",
        "Flags win over SYNOD_* environment variables, which win over the config file.",
        "The first leader of a new cluster creates an admin token, prints it once and saves it to <data-dir>/admin.token (mode 0600).",
        "",
        "Examples:",
        "  synod hub start --data-dir ./n1                                   # single node, can grow later",
        "  synod hub start --node-id n1 --listen 10.0.0.1:9900 --bootstrap n1=10.0.0.1:9901,n2=10.0.0.2:9901,n3=10.0.0.3:9901 --cluster-secret $S",
        "  synod hub start --node-id n4 --join http://10.0.0.1:9900 --join-token synod_join_…",
      ].join("\n"),
    )
    .action(async (flags: Record<string, unknown>) => {
      const cfg = configFrom(flags);
      const hub = await startHub(cfg, {
        logger: streamLogger(),
        onAdminToken: (secret) => process.stdout.write(`admin token (shown once; also saved to ${cfg.dataDir}/admin.token):\n  ${secret}\n`),
      });
      process.stdout.write(`synod hub ${hub.nodeId} listening on ${hub.clientUrl} (peer ${hub.peerUrl}, mode ${hub.mode}, data ${cfg.dataDir})\n`);
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
