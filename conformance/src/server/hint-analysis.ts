/**
 * Checks on the leader hints a prober collected (DESIGN §6 and §9): a node's hint
 * term never goes down, not even across its restart (clients trust a hint only when
 * its term is newer than the last one seen, so a term going back would make them
 * ignore a good hint or follow a stale one), and no two hints name different
 * leaders for one term (invariant 1: at most one leader per term).
 */

/** One probe answer. */
export interface HintSample {
  readonly node: string;
  /** `hint`: a NotLeader detail; `leader`: the node answered as the leader (no term in the reply). */
  readonly kind: "hint" | "leader";
  /** The hinted leader id; empty when no leader is known (and for `leader` samples). */
  readonly leaderId: string;
  /** The hint's term (0 for `leader` samples). */
  readonly term: bigint;
  /** When the answer arrived, ms since the watcher started. */
  readonly atMs: number;
}

/** A node whose hint term went down. */
export interface HintDecrease {
  readonly node: string;
  readonly term: bigint;
  /** The highest term that node had hinted before. */
  readonly after: bigint;
  readonly atMs: number;
}

/** One term for which hints named more than one leader. */
export interface HintConflict {
  readonly term: bigint;
  readonly leaders: readonly string[];
}

/** The result of {@link analyzeHints}. */
export interface HintAnalysis {
  readonly decreases: readonly HintDecrease[];
  readonly conflicts: readonly HintConflict[];
  /** Distinct terms hinted, ascending. */
  readonly terms: readonly bigint[];
  /** Per node: how many hints, and the first and last hinted term. */
  readonly perNode: Readonly<Record<string, { readonly hints: number; readonly firstTerm: bigint; readonly lastTerm: bigint }>>;
}

/** Analyzes samples in the order they were taken. */
export function analyzeHints(samples: readonly HintSample[]): HintAnalysis {
  const decreases: HintDecrease[] = [];
  const highest = new Map<string, bigint>();
  const leadersByTerm = new Map<bigint, Set<string>>();
  const perNode: Record<string, { hints: number; firstTerm: bigint; lastTerm: bigint }> = {};
  for (const s of samples) {
    if (s.kind !== "hint") continue;
    const before = highest.get(s.node);
    if (before !== undefined && s.term < before) decreases.push({ node: s.node, term: s.term, after: before, atMs: s.atMs });
    if (before === undefined || s.term > before) highest.set(s.node, s.term);
    if (s.leaderId !== "") {
      const set = leadersByTerm.get(s.term) ?? new Set<string>();
      set.add(s.leaderId);
      leadersByTerm.set(s.term, set);
    }
    const n = perNode[s.node];
    if (n) {
      n.hints++;
      n.lastTerm = s.term;
    } else perNode[s.node] = { hints: 1, firstTerm: s.term, lastTerm: s.term };
  }
  const conflicts = [...leadersByTerm].filter(([, ls]) => ls.size > 1).map(([term, ls]) => ({ term, leaders: [...ls].sort() }));
  const terms = [...new Set(samples.filter((s) => s.kind === "hint").map((s) => s.term))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { decreases, conflicts, terms, perNode };
}

/**
 * The codes a hint probe may fail with without a server fault: `unavailable` without
 * a hint (a node still starting, or a refused connection), `deadline_exceeded` (a
 * paused or cut-off node: the probe's own deadline), and what the reference client
 * reports when the connection to a killed node goes away mid-call: `canceled` (its
 * HTTP/2 session closed, the stream ends with CANCEL; seen in
 * `server.hints.terms-never-decrease`) or `aborted` (the socket was reset, ECONNRESET).
 * Anything else (`internal`, `unknown`, `invalid_argument`, …) is a server answering
 * a plain consistent read wrongly.
 */
export const expectedProbeFailureCodes: ReadonlySet<string> = new Set(["unavailable", "deadline_exceeded", "canceled", "aborted"]);

/** How many failed probes, counted by code in `failures`, failed with a code outside {@link expectedProbeFailureCodes}. */
export function unexpectedProbeFailures(failures: Readonly<Record<string, number>>): number {
  return Object.entries(failures).reduce((n, [code, count]) => (expectedProbeFailureCodes.has(code) ? n : n + count), 0);
}
