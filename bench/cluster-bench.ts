/**
 * Three-node numbers: MAJORITY append throughput and latency, replication
 * lag seen by a follower's listener, a restarted follower's catch-up rate,
 * the write gap a client sees when the leader is killed, and leader changes
 * during a steady run.
 */
import { createClient as createSdkClient } from "@synod/sdk/node";
import { appendLoad, type LoadResult } from "./append-load.js";
import { startBenchCluster, type BenchCluster } from "./cluster-process.js";
import { median, percentile, round } from "./stats.js";

/** Settings of a cluster benchmark run. */
export interface ClusterBenchSettings {
  readonly runs: number;
  readonly durationMs: number;
  readonly contentBytes: number;
  readonly failoverTrials: number;
  readonly catchupEntries: number;
  readonly steadySeconds: number;
  readonly timers: { electionMs: number; heartbeatMs: number };
}

/** Throughput rows for 1/64/256 in flight × batches of 1/100. */
export async function throughput(s: ClusterBenchSettings) {
  const rows = [];
  for (const inFlight of [1, 64, 256]) {
    for (const batch of [1, 100]) {
      const results: LoadResult[] = [];
      for (let r = 0; r < s.runs; r++) {
        const c = await startBenchCluster(3, s.timers);
        try {
          const leader = await c.leader();
          results.push(await appendLoad(leader.url, c.token, { inFlight, batch, durationMs: s.durationMs, contentBytes: s.contentBytes }));
        } finally {
          await c.stop();
        }
        process.stderr.write(".");
      }
      rows.push({ inFlight, batch, entriesPerSec: round(median(results.map((x) => x.entriesPerSec)), 0), p50Ms: round(median(results.map((x) => x.p50Ms)), 2), p99Ms: round(median(results.map((x) => x.p99Ms)), 2), errors: results.reduce((a, x) => a + x.errors, 0) });
    }
  }
  return rows;
}

/** Ms from the leader's acknowledgement to the entry's arrival at a follower's listener. */
export async function replicationLag(s: ClusterBenchSettings) {
  const c = await startBenchCluster(3, s.timers);
  try {
    const leader = await c.leader();
    const follower = c.nodes.find((n) => n.id !== leader.id) ?? leader;
    const arrived = new Map<bigint, number>();
    const abort = new AbortController();
    const listening = (async () => {
      try {
        for await (const m of c.client(follower.url).listen({ afterSeq: 0n }, { signal: abort.signal })) for (const e of m.entries) arrived.set(e.seq, performance.now());
      } catch {
        /* aborted */
      }
    })();
    const acked = new Map<bigint, number>();
    const lc = c.client(leader.url);
    const end = performance.now() + s.durationMs;
    let i = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        const r = await lc.append({ entries: [{ id: `lag-${i++}`, type: "task", content: "x".repeat(s.contentBytes) }] });
        acked.set(r.results[0]?.seq ?? 0n, performance.now());
      }
    }));
    const last = [...acked.keys()].reduce((a, b) => (a > b ? a : b), 0n);
    while (!arrived.has(last)) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await listening;
    const lags = [...acked].map(([seq, t]) => Math.max(0, (arrived.get(seq) ?? t) - t));
    return { entries: lags.length, p50Ms: round(percentile(lags, 50), 2), p99Ms: round(percentile(lags, 99), 2) };
  } finally {
    await c.stop();
  }
}

/** Entries per second a follower replays when it comes back after missing `catchupEntries`. */
export async function catchUp(s: ClusterBenchSettings) {
  const c = await startBenchCluster(3, s.timers);
  try {
    const leader = await c.leader();
    const follower = c.nodes.find((n) => n.id !== leader.id) as BenchCluster["nodes"][number];
    await c.kill(follower);
    const lc = c.client(leader.url);
    const content = "x".repeat(s.contentBytes);
    for (let b = 0; b < s.catchupEntries / 500; b++) {
      await lc.append({ entries: Array.from({ length: 500 }, (_, k) => ({ id: `cu-${b}-${k}`, type: "task", content })) });
    }
    const target = (await lc.status({})).commitSeq;
    const t0 = performance.now();
    await c.start(follower);
    const fc = c.client(follower.url);
    for (;;) {
      const st = await fc.status({}).catch(() => undefined);
      if (st && st.commitSeq >= target) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = (performance.now() - t0) / 1000;
    return { entries: Number(target), seconds: round(seconds, 2), entriesPerSec: round(Number(target) / seconds, 0), note: "includes the follower's process start-up and log recovery" };
  } finally {
    await c.stop();
  }
}

/** The longest pause between acknowledged appends around each leader kill, seen by SDK writers. */
export async function failoverGaps(s: ClusterBenchSettings) {
  const c = await startBenchCluster(3, s.timers);
  const gaps: number[] = [];
  const errors: string[] = [];
  try {
    const client = createSdkClient({ peers: c.nodes.map((n) => n.url), token: c.token });
    for (let t = 0; t < s.failoverTrials; t++) {
      const leader = await c.leader();
      let lastAck = performance.now();
      let killedAt = Infinity;
      let gap = 0;
      let stop = false;
      let afterKill = 0;
      const writers = Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            await client.append({ type: "task", content: "failover" });
            const now = performance.now();
            if (now > killedAt) {
              gap = Math.max(gap, now - Math.max(lastAck, killedAt - 1000));
              afterKill++;
            }
            lastAck = now;
          } catch (err) {
            errors.push(String(err));
          }
        }
      });
      await new Promise((r) => setTimeout(r, 300));
      killedAt = performance.now();
      const sinceLastAck = killedAt - lastAck;
      await c.kill(leader);
      const deadline = performance.now() + 30_000;
      while (afterKill < 20 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await Promise.all(writers);
      if (afterKill < 20) throw new Error(`trial ${t}: writes did not resume within 30 s (${errors.slice(-3).join("; ")})`);
      gaps.push(gap);
      void sinceLastAck;
      await c.start(leader);
      // The restarted node must have applied the admin token before the next trial uses it.
      const rc = c.client(leader.url);
      while (!(await rc.status({}).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 20));
      process.stderr.write("f");
    }
    client.close();
  } finally {
    await c.stop();
  }
  const kinds = [...new Set(errors.map((e) => e.replace(/http:\/\/\S+/g, "URL").slice(0, 120)))].slice(0, 5);
  if (kinds.length > 0) process.stderr.write(`\nerrors that reached the application: ${kinds.join(" | ")}\n`);
  return { trials: gaps.length, p50Ms: round(percentile(gaps, 50), 0), p99Ms: round(percentile(gaps, 99), 0), maxMs: round(Math.max(...gaps), 0), errorsReachingApp: errors.length };
}

/** Leader changes (term increases seen by any node) during a steady high-load run. */
export async function steadyRun(s: ClusterBenchSettings) {
  const c = await startBenchCluster(3, s.timers);
  try {
    const leader = await c.leader();
    const terms = new Set<bigint>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        for (const n of c.nodes) {
          const st = await c.client(n.url).status({}, { timeoutMs: 1000 }).catch(() => undefined);
          if (st) terms.add(st.term);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const load = await appendLoad(leader.url, c.token, { inFlight: 64, batch: 10, durationMs: s.steadySeconds * 1000, contentBytes: s.contentBytes });
    polling = false;
    await poller;
    return { seconds: s.steadySeconds, load: { inFlight: 64, batch: 10, entriesPerSec: round(load.entriesPerSec, 0), p99Ms: round(load.p99Ms, 1), errors: load.errors }, termsSeen: terms.size, leaderChanges: terms.size - 1 };
  } finally {
    await c.stop();
  }
}
