/**
 * Compact one-line renderings of messages, records and status for interaction
 * scripts, so expected output stays readable and reviewable by hand.
 */
import type { Message } from "../messages.js";
import type { RaftStatus } from "../status.js";
import type { LogRecord, Payload } from "../types.js";

/** `noop`, `entry id=x seq=1`, `config addLearner n4`, `token create t1`. */
export function formatPayload(p: Payload): string {
  switch (p.kind) {
    case "noop":
      return "noop";
    case "entry":
      return `entry id=${p.entry.id} seq=${p.entry.seq}`;
    case "config":
      return `config ${p.change.kind} ${p.change.nodeId}`;
    case "token":
      return `token ${p.change.kind} ${p.change.tokenId}`;
  }
}

/** `7@2 noop`. */
export function formatRecord(r: LogRecord): string {
  return `${r.index}@${r.term} ${formatPayload(r.payload)}`;
}

/** `n1->n2 app t2 prev=6@1 commit=6 [7@2 noop]`. */
export function formatMessage(m: Message): string {
  const head = `${m.from}->${m.to}`;
  switch (m.type) {
    case "vote":
      return `${head} ${m.pre ? "prevote" : "vote"} t${m.term} last=${m.lastIndex}@${m.lastTerm}${m.transfer ? " transfer" : ""}`;
    case "voteResp":
      return `${head} ${m.pre ? "prevote" : "vote"}-resp t${m.term} ${m.granted ? "granted" : "rejected"}`;
    case "append":
      return `${head} app t${m.term} prev=${m.prevIndex}@${m.prevTerm} commit=${m.commit} [${m.records.map(formatRecord).join(", ")}]`;
    case "appendResp":
      return m.success
        ? `${head} app-resp t${m.term} ok index=${m.index}`
        : `${head} app-resp t${m.term} reject index=${m.index} hint=${m.hintIndex}@${m.hintTerm}`;
    case "heartbeat":
      return `${head} heartbeat t${m.term} commit=${m.commit}${m.readSeq > 0 ? ` read=${m.readSeq}` : ""}`;
    case "heartbeatResp":
      return `${head} heartbeat-resp t${m.term}${m.readSeq > 0 ? ` read=${m.readSeq}` : ""}`;
    case "timeoutNow":
      return `${head} timeout-now t${m.term}`;
  }
}

/** One line for the node, then one per follower when it leads. */
export function formatStatus(s: RaftStatus): string[] {
  const lines = [
    `${s.id} ${s.role} term=${s.term} vote=${s.vote ?? "-"} leader=${s.leader ?? "-"} commit=${s.commit} last=${s.lastIndex}@${s.lastTerm} voters=${s.voters.join(",")} learners=${s.learners.join(",") || "-"}${s.transferee === undefined ? "" : ` transferee=${s.transferee}`}`,
  ];
  for (const [id, f] of [...s.followers].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${id} match=${f.match} next=${f.next} ${f.state}${f.learner ? " learner" : ""} active=${f.recentActive} contact=${f.lastContactTicksAgo}`);
  }
  return lines;
}
