/** Renders a node status for people. */
import type { NodeStatus } from "@synod/sdk";
import { humanDuration, table } from "./output.js";

function memberState(m: NodeStatus["members"][number]): string {
  if (!m.reachable) return "unreachable";
  if (m.role === "leader") return "-";
  return m.inSync ? "in-sync" : `lag ${m.lagEntries} entries / ${m.lagMs} ms`;
}

/** A few aligned lines: role, leader, members (from `membersFrom`, the leader's view, when given), entries, uptime. */
export function renderStatus(s: NodeStatus, membersFrom: NodeStatus = s): string {
  const head = table([
    ["node:", `${s.nodeId} (${s.role}, term ${s.term})`],
    ["mode:", s.mode],
    ["url:", s.clientUrl],
    ["leader:", s.leaderId ? `${s.leaderId} ${s.leaderUrl}` : "none (no quorum)"],
    ["quorum:", s.hasQuorum ? "yes" : "NO"],
    ["entries:", String(s.entries)],
    ["uptime:", humanDuration(s.uptimeMs)],
    ...(s.storageError ? [["storage:", s.storageError]] : []),
  ]);
  const source = membersFrom === s ? "" : ` (as the leader ${membersFrom.nodeId} sees them)`;
  const unknown = membersFrom.role !== "leader";
  const members = table([
    ["  MEMBER", "ROLE", "URL", "STATE", "COMMIT"],
    ...membersFrom.members.map((m) =>
      unknown && m.nodeId !== membersFrom.nodeId && m.nodeId !== membersFrom.leaderId
        ? [`  ${m.nodeId}`, m.role, m.clientUrl || "?", "unknown (no leader view)", "?"]
        : [`  ${m.nodeId}`, m.reachable ? m.role : "offline", m.clientUrl, memberState(m), String(m.commitSeq)],
    ),
  ]);
  return `${head}\nmembers${source}:\n${members}\n`;
}
