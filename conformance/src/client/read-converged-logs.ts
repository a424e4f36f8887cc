/**
 * The committed logs of a live cluster once it has settled: waits until a leader is
 * agreed and every running node answers `Status` with the same commit and applied
 * seqs, then reads each node's whole log with `Read` through the reference client.
 */
import { pollUntil } from "../cluster/poll-until.js";
import type { CaseContext } from "../runner/case-context.js";
import { readCommittedLog } from "../server/committed-log.js";
import type { CommittedEntry } from "./check-client-history.js";

/** Deadline of one log read, ms. */
const readTimeoutMs = 10_000;

/** The logs, plus why the cluster did not settle (empty when it did). */
export interface ConvergedLogs {
  readonly logs: Map<string, CommittedEntry[]>;
  readonly problems: string[];
}

/**
 * Waits up to `timeoutMs` for an agreed leader and for every running node to report
 * the same commit seq and applied seq.
 * @returns why the cluster did not settle; empty when it did.
 */
export async function awaitSettled(ctx: CaseContext, timeoutMs: number): Promise<string[]> {
  const cluster = ctx.cluster();
  try {
    await cluster.leader(timeoutMs);
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
  let seen: (readonly [string, string])[] = [];
  const settled = await pollUntil(async () => {
    const statuses = await cluster.statuses();
    seen = [...statuses].map(([id, s]) => [id, s instanceof Error ? s.message : `commit ${s.commitSeq} applied ${s.appliedSeq}`] as const);
    return new Set(seen.map(([, c]) => c)).size === 1;
  }, { timeoutMs, intervalMs: 100, signal: ctx.signal });
  if (settled) return [];
  return [`the running nodes did not reach one commit and applied seq within ${timeoutMs} ms: ${seen.map(([id, c]) => `${id}: ${c}`).join("; ")}`];
}

/** Waits up to `timeoutMs` for the running nodes to settle (see {@link awaitSettled}), then reads their logs. */
export async function readConvergedLogs(ctx: CaseContext, timeoutMs: number): Promise<ConvergedLogs> {
  const cluster = ctx.cluster();
  const problems = await awaitSettled(ctx, timeoutMs);
  const logs = new Map<string, CommittedEntry[]>();
  for (const id of cluster.running()) {
    try {
      const entries = await readCommittedLog(cluster.client(id), { timeoutMs: readTimeoutMs, signal: ctx.signal });
      logs.set(id, entries.map((e) => ({ id: e.id, seq: e.seq, content: e.content })));
    } catch (err) {
      problems.push(`could not read the log of ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { logs, problems };
}
