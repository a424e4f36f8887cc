/**
 * DESIGN §5 and §6 on real processes: a leader cut off from the majority
 * steps down and its side rejects writes, the majority elects a new leader,
 * and a Listen on a node without a leader ends with a retryable error instead
 * of hanging.
 */
import { expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { Role } from "@synod/proto/entry";
import { NotLeaderSchema } from "@synod/proto/errors";
import { useCluster } from "./use-cluster.js";

const electionMs = 300;
const getCluster = useCluster({ electionTimeoutMs: electionMs, heartbeatMs: 50 });

it("an isolated leader steps down, rejects writes with a NotLeader hint, and the majority moves on", { timeout: 60_000 }, async () => {
  const old = await getCluster().leader(10_000);
  const c = getCluster().clients.get(old);
  if (!c) throw new Error("no client");
  await c.append({ entries: [{ id: "before", type: "task", content: "x" }] });
  const cutAt = performance.now();
  getCluster().isolate(old);
  let steppedDownMs = Infinity;
  while (performance.now() - cutAt < 20 * electionMs) {
    const s = await c.status({});
    if (s.role !== Role.LEADER) {
      steppedDownMs = performance.now() - cutAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  // Check-quorum runs once per election timeout: allow two of them plus scheduling slack.
  expect(steppedDownMs).toBeLessThan(2 * electionMs + 500);
  const err = await c.append({ entries: [{ id: "minority", type: "task", content: "x" }] }).then(() => undefined, (e: unknown) => ConnectError.from(e));
  expect(err?.code).toBe(Code.Unavailable);
  expect(err?.findDetails(NotLeaderSchema)).toHaveLength(1);
  const next = await getCluster().leader(20_000, old);
  expect(next).not.toBe(old);
  const r = await getCluster().clients.get(next)?.append({ entries: [{ id: "majority", type: "task", content: "x" }] });
  expect(r?.results[0]?.duplicate).toBe(false);
  getCluster().heal();
});

it("a Listen on a node that has lost its leader ends with a retryable error within three election timeouts", { timeout: 60_000 }, async () => {
  const leader = await getCluster().leader(20_000);
  const follower = getCluster().ids.find((id) => id !== leader) as string;
  const c = getCluster().clients.get(follower);
  if (!c) throw new Error("no client");
  const abort = new AbortController();
  const stream = c.listen({ afterSeq: 0n, heartbeatMs: 100 }, { signal: abort.signal });
  const it = stream[Symbol.asyncIterator]();
  await it.next();
  getCluster().isolate(follower);
  const cutAt = performance.now();
  let ended: ConnectError | undefined;
  try {
    for (;;) {
      const n = await it.next();
      if (n.done) break;
    }
  } catch (e) {
    ended = ConnectError.from(e);
  }
  const afterMs = performance.now() - cutAt;
  abort.abort();
  getCluster().heal();
  expect(ended?.code).toBe(Code.Unavailable);
  // Three election timeouts after the last word from the leader, plus scheduling slack.
  expect(afterMs).toBeLessThan(3 * electionMs + 700);
});
