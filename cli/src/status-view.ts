/** Renders a node status for people. */
import type { NodeStatus } from "@synod/sdk";
import { humanDuration, table } from "./output.js";

function memberState(m: NodeStatus["members"][number]): string {
  if (!m.reachable) return "unreachable";
  if (m.role === "leader") return "-";
  return m.inSync ? "in-sync" : `lag ${m.lagEntries} entries / ${m.lagMs} ms`;
}

/** A few aligned lines: role, leader, members, entries, uptime. */
export function renderStatus(s: NodeStatus): string {
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
  const members = table([
    ["  MEMBER", "ROLE", "URL", "STATE", "COMMIT"],
    ...s.members.map((m) => [`  ${m.nodeId}`, m.reachable ? m.role : "offline", m.clientUrl, memberState(m), String(m.commitSeq)]),
  ]);
  return `${head}\nmembers:\n${members}\n`;
}
