/** `synod hub peer …` and `synod hub stepdown`: membership and leadership. */
import { Command } from "commander";
import type { MemberInfo } from "@synod/sdk";
import { CliError } from "../cli-error.js";
import { toUrl } from "../connection-file.js";
import { withClient, withTarget, type TargetOptions } from "../hub-target.js";
import { table, toJson } from "../output.js";

function printMembers(members: readonly MemberInfo[], json: boolean | undefined): void {
  if (json) return void process.stdout.write(toJson(members) + "\n");
  const rows = members.map((m) => [m.nodeId, m.voter ? "voter" : "learner", m.role, m.clientUrl || "?", m.peerUrl || "?", m.reachable ? (m.inSync ? "in-sync" : `lag ${m.lagEntries}`) : "unreachable"]);
  process.stdout.write(table([["ID", "VOTES", "ROLE", "CLIENT URL", "PEER URL", "STATE"], ...rows]) + "\n");
}

/** Registers `hub peer add|remove|list` and `hub stepdown`. */
export function registerClusterCommands(hub: Command): void {
  const peer = hub.command("peer").description("Change or list the members of the cluster (admin token required).");
  withTarget(peer.command("add <node-id>"))
    .description("Add a member as a learner; it is promoted to voter once caught up. Start the new node with --mode join (no token needed after this).")
    .requiredOption("--peer-url <url>", "the new node's peer address (host:port or URL)")
    .requiredOption("--client-url <url>", "the new node's client address (host:port or URL)")
    .option("--json", "print JSON")
    .action(async (id: string, o: TargetOptions & { peerUrl: string; clientUrl: string; json?: boolean }) => {
      const members = await withClient(o, (c) => c.addMember({ nodeId: id, peerUrl: toUrl(o.peerUrl), clientUrl: toUrl(o.clientUrl) }));
      printMembers(members, o.json);
    });
  withTarget(peer.command("remove <node-id>"))
    .description("Remove a member. Removing the leader makes it step down once the change commits.")
    .option("--json", "print JSON")
    .action(async (id: string, o: TargetOptions & { json?: boolean }) => {
      printMembers(await withClient(o, (c) => c.removeMember(id)), o.json);
    });
  withTarget(peer.command("list"))
    .description("List the members as the leader sees them.")
    .option("--json", "print JSON")
    .action(async (o: TargetOptions & { json?: boolean }) => {
      const members = await withClient(o, async (c) => {
        const s = await c.status();
        return s.role === "leader" || !s.leaderUrl ? s.members : (await c.status({ peer: s.leaderUrl })).members;
      });
      printMembers(members, o.json);
    });
  withTarget(hub.command("stepdown"))
    .description("Hand leadership to another voter (the most caught-up one, or --to) and wait until it has taken over.")
    .option("--to <node-id>", "the voter to hand leadership to")
    .action(async (o: TargetOptions & { to?: string }) => {
      const r = await withClient(o, (c) => c.transferLeadership(o.to));
      if (!r.leaderId) throw new CliError("no leader after the transfer");
      process.stdout.write(`leader is now ${r.leaderId} (term ${r.term})\n`);
    });
}
