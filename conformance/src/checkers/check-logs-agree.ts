/**
 * Invariants 4 and 6 (DESIGN §9) plus dense seqs (DESIGN §3): every node's committed
 * log is a prefix of every other's, no id appears twice, and seqs run 1, 2, 3, ...
 */
import { ViolationList, type LoggedEntry } from "./logged-entry.js";

/** The outcome of {@link checkLogsAgree}. */
export interface LogsAgreement {
  /** Readable violations; empty when the logs agree. */
  readonly violations: string[];
  /**
   * How many leading entries all logs share (equal id and seq at every position).
   * Equals the shortest log's length when the logs agree; 0 for no logs.
   */
  readonly commonPrefixLength: number;
}

/**
 * Checks the committed logs read from several nodes. Logs may differ in length (a
 * node may lag), but up to the shortest one they must be identical.
 *
 * @param logs committed log per node id, each in the order the node returned it
 */
export function checkLogsAgree(logs: ReadonlyMap<string, readonly LoggedEntry[]>): LogsAgreement {
  const v = new ViolationList();
  for (const [node, log] of logs) checkOneLog(node, log, v);
  const nodes = [...logs.keys()].sort();
  const shortest = Math.min(...nodes.map((n) => logs.get(n)?.length ?? 0));
  let commonPrefixLength = nodes.length === 0 ? 0 : shortest;
  const refNode = nodes[0];
  const ref = refNode === undefined ? [] : (logs.get(refNode) ?? []);
  for (const node of nodes.slice(1)) {
    const log = logs.get(node) ?? [];
    for (let i = 0; i < shortest; i++) {
      const a = ref[i];
      const b = log[i];
      if (a && b && (a.id !== b.id || a.seq !== b.seq)) {
        v.add("diverged", `logs of ${refNode} and ${node} diverge at position ${i + 1}: ${describe(a)} vs ${describe(b)}`);
        commonPrefixLength = Math.min(commonPrefixLength, i);
        break;
      }
    }
  }
  return { violations: v.list(), commonPrefixLength };
}

function checkOneLog(node: string, log: readonly LoggedEntry[], v: ViolationList): void {
  const firstAt = new Map<string, number>();
  log.forEach((e, i) => {
    const want = BigInt(i + 1);
    if (e.seq !== want) v.add("not-dense", `${node}: position ${i + 1} holds seq ${e.seq}, expected ${want} (seqs must be dense from 1)`);
    const earlier = firstAt.get(e.id);
    if (earlier === undefined) firstAt.set(e.id, i);
    else v.add("duplicate-id", `${node}: id ${e.id} appears twice (positions ${earlier + 1} and ${i + 1})`);
  });
}

function describe(e: LoggedEntry): string {
  return `${e.id}@${e.seq}`;
}
