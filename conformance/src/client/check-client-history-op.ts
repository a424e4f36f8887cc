/**
 * `checkClientHistory {timeoutMs?}` (live cases): reads every running node's committed
 * log once the cluster settled and checks the client under test's history against
 * it (check-client-history.ts), plus every contract violation the driver made.
 * Outcome `{ok: {violations: [], acked, logLength, listeners}}` when correct, and
 * `{error: {violations: […], …}}` otherwise, so a case cannot pass on a bad history by
 * forgetting its `expect`.
 */
import type { OpHandler } from "../runner/case-context.js";
import { checkClientHistory } from "./check-client-history.js";
import { clientSession } from "./client-session.js";
import { listenObservations } from "./listener-summary.js";
import { readConvergedLogs } from "./read-converged-logs.js";

/** Default time for the cluster to settle, ms. */
const settleTimeoutMs = 20_000;

/** `checkClientHistory {timeoutMs?}`: see the file comment. */
export const checkClientHistoryOp: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const { logs, problems } = await readConvergedLogs(ctx, typeof a.timeoutMs === "number" ? a.timeoutMs : settleTimeoutMs);
  const listeners = s.driver.listeners().map((l) => ({ name: l.name, startAfterSeq: l.startAfterSeq, batches: listenObservations(l.batches) }));
  const violations = [
    ...problems,
    ...s.driver.violations().map((v) => `driver: ${v}`),
    ...checkClientHistory({ logs, sent: s.history.sent(), acked: s.history.acked(), listeners }),
  ];
  const summary = { acked: s.history.acked().length, logLength: Math.max(0, ...[...logs.values()].map((l) => l.length)), listeners: listeners.length };
  for (const v of violations) ctx.log(`history: ${v}`);
  return violations.length === 0 ? { ok: { violations, ...summary } } : { error: { violations, ...summary } };
};
