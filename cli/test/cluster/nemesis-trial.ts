/**
 * One nemesis trial on a real cluster: appenders and listeners run while a
 * seeded schedule kills, pauses and partitions nodes; then everything heals,
 * the cluster converges, and the history checkers compare what clients saw
 * with every node's committed log (DESIGN §9, invariants 4–7).
 */
import { checkAcknowledged, checkListener, checkLogsAgree, type LoggedEntry } from "@synod/conformance";
import { hubClient, readAll } from "../hub-client.js";
import { startCluster } from "./cluster-harness.js";
import { nemesisSchedule, describeStep } from "./nemesis.js";
import { runNemesis } from "./nemesis-runner.js";
import { seededRandom } from "./seeded-random.js";
import { startAppenders, startListener } from "./workload.js";

/** What a trial found. */
export interface TrialResult {
  readonly seed: number;
  readonly acked: number;
  readonly unknown: number;
  readonly finalEntries: number;
  readonly listenerResumes: number;
  readonly violations: string[];
  /** The schedule, readable, to replay by hand. */
  readonly steps: string[];
}

/** Runs one trial; the same seed draws the same schedule. */
export async function nemesisTrial(seed: number, opts: { size?: number; steps?: number; appenders?: number; listeners?: number } = {}): Promise<TrialResult> {
  const size = opts.size ?? 3;
  const random = seededRandom(seed);
  const schedule = nemesisSchedule({ size, steps: opts.steps ?? 6, random, waitMs: { min: 300, max: 1200 } });
  const cluster = await startCluster({ size, timers: { electionTimeoutMs: 300, heartbeatMs: 50 } });
  try {
    await cluster.leader(30_000);
    await cluster.ready(30_000);
    const urls = cluster.ids.map((id) => cluster.nodes.get(id)?.url ?? "");
    const jitter = (): number => random.nextInt(1_000_000) / 1_000_000;
    const appenders = startAppenders({ urls, token: cluster.adminToken, appenders: opts.appenders ?? 6, random: jitter });
    const listeners = Array.from({ length: opts.listeners ?? 3 }, (_, i) => startListener({ urls: [...urls.slice(i % urls.length), ...urls.slice(0, i % urls.length)], token: cluster.adminToken, random: jitter }));
    await appenders.acked(20);
    await runNemesis(cluster, schedule);
    cluster.heal();
    await cluster.leader(30_000);
    const history = await appenders.stop();
    // Converge: every node reaches the leader's commit, every listener reads to the end.
    const leaderId = await cluster.leader(30_000);
    const leaderClient = cluster.clients.get(leaderId) ?? hubClient(urls[0] ?? "", cluster.adminToken);
    const target = (await leaderClient.status({})).commitSeq;
    const logs = new Map<string, LoggedEntry[]>();
    for (const id of cluster.ids) {
      const c = cluster.clients.get(id);
      if (!c) continue;
      const deadline = Date.now() + 30_000;
      let log: LoggedEntry[] = [];
      while (Date.now() < deadline) {
        log = await readAll(c).catch(() => []);
        if (BigInt(log.length) >= target) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      logs.set(id, log);
    }
    await Promise.all(listeners.map((l) => l.reached(target, 30_000).catch(() => undefined)));
    const seen = await Promise.all(listeners.map((l) => l.stop()));
    const reference = logs.get(leaderId) ?? [];
    const agreement = checkLogsAgree(logs);
    const violations = [
      ...agreement.violations,
      ...checkAcknowledged(history.acked, reference),
      ...seen.flatMap((h, i) => checkListener(h.messages, reference).map((v) => `listener ${i}: ${v}`)),
    ];
    for (const [id, log] of logs) {
      if (log.length >= reference.length) continue;
      violations.push(`${id} has ${log.length} of ${reference.length} entries after convergence`);
      if (process.env.NEMESIS_DEBUG) {
        const st = await leaderClient.status({});
        const m = st.members.find((x) => x.nodeId === id);
        console.error(`leader ${leaderId} sees ${id}: ${JSON.stringify(m, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}`);
        console.error(`${id} stderr:\n${cluster.nodes.get(id)?.stderr().slice(-4000)}`);
        console.error(`${leaderId} stderr:\n${cluster.nodes.get(leaderId)?.stderr().slice(-4000)}`);
      }
    }
    return {
      seed,
      acked: history.acked.length,
      unknown: history.unknown.length,
      finalEntries: reference.length,
      listenerResumes: seen.reduce((a, h) => a + h.resumes, 0),
      violations,
      steps: schedule.map(describeStep),
    };
  } finally {
    await cluster.stop();
  }
}
