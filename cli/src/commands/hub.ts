/** `synod hub …`: operator commands. */
import { Command } from "commander";
import { quarantineSegment } from "@synod/server";
import { withClient, withTarget, type TargetOptions } from "../hub-target.js";
import { table, toJson } from "../output.js";
import { renderStatus } from "../status-view.js";
import { registerHubStart } from "./hub-start.js";
import { registerHubStop } from "./hub-stop.js";
import { registerClusterCommands } from "./hub-cluster.js";
import { CliError } from "../cli-error.js";

function registerStatus(hub: Command): void {
  withTarget(hub.command("status"))
    .description("Show this node's role, term, leader, members, entries and uptime.")
    .option("--json", "print JSON (64-bit numbers as strings)")
    .option("--exit-code", "exit 3 when the cluster has no quorum")
    .action(async (o: TargetOptions & { json?: boolean; exitCode?: boolean }) => {
      const { s, leaderView } = await withClient(o, async (c) => {
        const s = await c.status();
        // A follower vouches only for itself and its leader: take the members from the leader.
        const leaderView = s.role !== "leader" && s.leaderUrl ? await c.status({ peer: s.leaderUrl }).catch(() => undefined) : undefined;
        return { s, leaderView };
      });
      process.stdout.write(o.json ? toJson(s) + "\n" : renderStatus(s, leaderView));
      if (o.exitCode && !s.hasQuorum) process.exitCode = 3;
    });
}

function registerToken(hub: Command): void {
  const token = hub.command("token").description("Manage client tokens (admin token required).");
  withTarget(token.command("create [name]"))
    .description("Create a client token bound to [name] (the hub stamps it as origin on its entries), or with --join a token that lets new nodes join.")
    .option("--join", "create a join token (single-use unless --max-uses)")
    .option("--max-uses <n>", "with --join: how many nodes may join with it", "1")
    .option("--json", "print JSON")
    .action(async (nameArg: string | undefined, o: TargetOptions & { json?: boolean; join?: boolean; maxUses: string }) => {
      if (o.join) {
        const r = await withClient(o, (c) => c.createJoinToken(Number(o.maxUses)));
        process.stdout.write(o.json ? toJson(r) + "\n" : `join token (shown once; ${o.maxUses} use${o.maxUses === "1" ? "" : "s"}):\n  ${r.token}\n`);
        return;
      }
      if (!nameArg) throw new CliError("give the client's name, or --join for a join token", 2);
      const name = nameArg;
      const r = await withClient(o, (c) => c.register(name));
      process.stdout.write(o.json ? toJson(r) + "\n" : `token for ${name} (shown once):\n  ${r.token}\nid: ${r.info.tokenId}\n`);
    });
  withTarget(token.command("revoke [token-id]"))
    .description("Revoke a token by id, or every token of a client with --name.")
    .option("--name <name>", "revoke every token of this client")
    .action(async (tokenId: string | undefined, o: TargetOptions & { name?: string }) => {
      const n = await withClient(o, (c) => c.revoke(tokenId ? { tokenId } : { name: o.name ?? "" }));
      process.stdout.write(`revoked ${n} token${n === 1 ? "" : "s"}\n`);
    });
  withTarget(token.command("list"))
    .description("List tokens (ids, names, kinds; never secrets).")
    .option("--json", "print JSON")
    .action(async (o: TargetOptions & { json?: boolean }) => {
      const list = await withClient(o, (c) => c.listTokens());
      if (o.json) return void process.stdout.write(toJson(list) + "\n");
      const rows = list.map((t) => [t.tokenId, t.kind, t.name, t.createdAt?.toISOString() ?? ""]);
      process.stdout.write(table([["ID", "KIND", "NAME", "CREATED"], ...rows]) + "\n");
    });
}

function registerQuarantine(hub: Command): void {
  hub
    .command("quarantine")
    .description("Move a corrupt log segment (and every later one) aside so the node can start; it then catches up from its peers or serves the log up to the damage.")
    .requiredOption("--data-dir <dir>", "data directory of the stopped hub")
    .requiredOption("--file <segment>", "the segment named in the start-up error")
    .action(async (o: { dataDir: string; file: string }) => {
      const r = await quarantineSegment(o.dataDir, o.file);
      const what = [...r.movedFiles, ...(r.cut ? [`the tail of ${r.cut.file} from byte ${r.cut.offsetBytes} (as ${r.cut.tailFile})`] : [])];
      process.stdout.write(`moved to ${r.quarantineDir}:\n${what.map((w) => `  ${w}\n`).join("")}`);
    });
}

/** Registers `synod hub` and its subcommands. */
export function registerHubCommands(program: Command): void {
  const hub = program.command("hub").description("Run and operate hub nodes.");
  registerHubStart(hub);
  registerHubStop(hub);
  registerStatus(hub);
  registerToken(hub);
  registerQuarantine(hub);
  registerClusterCommands(hub);
}
