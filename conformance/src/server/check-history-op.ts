/**
 * `checkHistory`: the history checkers of DESIGN §9 on what the case saw. It waits
 * for the chosen nodes to agree on the commit seq, reads each node's committed log
 * and checks that the logs agree (invariants 4 and 6, dense seqs), that every
 * `MAJORITY` acknowledgement is in the log once at its seq (invariant 5), and that
 * every listener saw committed entries only, in order, without gaps or duplicates
 * (invariant 7).
 */
import { HubService } from "@synod/proto/hub";
import { checkAcknowledged } from "../checkers/check-acknowledged.js";
import { checkListener, type ListenObservation } from "../checkers/check-listener.js";
import { checkLogsAgree } from "../checkers/check-logs-agree.js";
import type { LoggedEntry } from "../checkers/logged-entry.js";
import { pollUntil } from "../cluster/poll-until.js";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { appendHistoryOf } from "./append-history.js";
import { readCommittedLog } from "./committed-log.js";
import { rpcErrorValue } from "./error-outcome.js";
import { listenersOf } from "./listen-ops.js";
import type { ListenRecorder } from "./listen-recorder.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { plainJson } from "./plain-json.js";

/** How long the nodes may take to agree on the commit seq, ms, unless the step says. */
export const convergeTimeoutMsDefault = 20_000;
const callTimeoutMs = 10_000;

/** Polls Status until every node reports the same commit seq; returns the last commit seqs seen. */
async function converge(ctx: CaseContext, nodes: readonly string[], timeoutMs: number): Promise<{ converged: boolean; commits: Record<string, string> }> {
  let commits: Record<string, string> = {};
  const converged = await pollUntil(async () => {
    commits = {};
    const seen = commits;
    await Promise.all(nodes.map(async (n) => {
      try {
        seen[n] = (await nodeClient(ctx, HubService, n).status({}, { timeoutMs: 2_000, signal: ctx.signal })).commitSeq.toString();
      } catch (err) {
        seen[n] = `error: ${rpcErrorValue(err).code}`;
      }
    }));
    return new Set(Object.values(seen)).size === 1 && !Object.values(seen).some((c) => c.startsWith("error"));
  }, { timeoutMs, intervalMs: 100, signal: ctx.signal });
  return { converged, commits };
}

/** The listener checks: one per chain of resumed listeners (a listener resumed by another is checked inside the longer chain). */
function listenerViolations(ctx: CaseContext, snapshot: ReadonlyMap<string, ListenerSnapshot>, finalLog: readonly LoggedEntry[]): string[] {
  const out: string[] = [];
  const resumed = new Set([...listenersOf(ctx).values()].flatMap((r) => (r.resumes ? [r.resumes.name] : [])));
  for (const [name, s] of snapshot) {
    if (resumed.has(name)) continue;
    for (const v of checkListener(s.messages, finalLog, { startAfterSeq: s.start, unfiltered: s.unfiltered })) out.push(`listener ${s.label}: ${v}`);
  }
  return out;
}

/** A listener chain's messages as of now, with what its check needs. */
interface ListenerSnapshot {
  readonly messages: ListenObservation[];
  readonly start: bigint;
  readonly unfiltered: boolean;
  /** `a → b` for a chain. */
  readonly label: string;
}

function snapshotOf(r: ListenRecorder): ListenerSnapshot {
  const names: string[] = [];
  for (let x: ListenRecorder | undefined = r; x; x = x.resumes) names.unshift(x.name);
  return { messages: r.chain(), start: r.chainStart(), unfiltered: r.unfiltered, label: names.join(" → ") };
}

/**
 * `checkHistory {nodes?, convergeTimeoutMs?}` (nodes: default every running node).
 * Outcome `ok: {violations: [], nodes, commits, entries, acknowledged, listeners}`,
 * or the same as `error` when there is any violation, so a step cannot pass one
 * by accident.
 */
export const checkHistoryOp: OpHandler = async (args, ctx) => {
  const nodes = args.nodes === undefined ? ctx.cluster().running() : await Promise.all((args.nodes as unknown[]).map((n) => resolveTarget(ctx, n)));
  const violations: string[] = [];
  const { converged, commits } = await converge(ctx, nodes, typeof args.convergeTimeoutMs === "number" ? args.convergeTimeoutMs : convergeTimeoutMsDefault);
  if (!converged) violations.push(`the nodes did not agree on a commit seq: ${Object.entries(commits).map(([n, c]) => `${n} ${c}`).join(", ")}`);
  // Taken before the logs are read: whatever a correct server delivered by now is in them.
  const snapshot = new Map([...listenersOf(ctx)].map(([name, r]) => [name, snapshotOf(r)]));
  const logs = new Map<string, LoggedEntry[]>();
  for (const n of nodes) {
    try {
      logs.set(n, (await readCommittedLog(nodeClient(ctx, HubService, n), { timeoutMs: callTimeoutMs, signal: ctx.signal })).map((e) => ({ id: e.id, seq: e.seq })));
    } catch (err) {
      violations.push(`could not read the log of ${n}: ${rpcErrorValue(err).message}`);
    }
  }
  violations.push(...checkLogsAgree(logs).violations);
  const longest = [...logs.values()].reduce<LoggedEntry[]>((a, b) => (b.length > a.length ? b : a), []);
  const acked = appendHistoryOf(ctx).majority();
  violations.push(...checkAcknowledged(acked, longest));
  violations.push(...listenerViolations(ctx, snapshot, longest));
  const value = plainJson({ violations, nodes, commits, entries: longest.length, acknowledged: acked.length, listeners: snapshot.size });
  return violations.length === 0 ? { ok: value } : { error: value };
};
