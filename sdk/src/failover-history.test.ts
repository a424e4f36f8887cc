import { describe, expect, it } from "vitest";
import { SEED, setupClient } from "./client-test-kit.js";
import type { AppendResult } from "./model.js";
import { SeededRandom } from "./testing/seeded-random.js";
import { waitFor } from "./testing/wait-for.js";

// A randomized history check in the manner of DESIGN §8: random failovers,
// revivals and lost answers while one client appends and another listens.
// Every acknowledged append must be in the log exactly once, and the listener
// must see seqs 1..N with no gap and no duplicate. Replay with SEED=.

describe(`history under random failovers (SEED=${SEED})`, () => {
  it("keeps every acknowledged append exactly once and every listener gap-free", async () => {
    const random = new SeededRandom(SEED);
    const { cluster, client } = setupClient({ client: { retryBudget: { maxTokens: 1_000 } } });
    const seen: bigint[] = [];
    const controller = new AbortController();
    const listening = (async () => {
      for await (const e of client.listenEntries({ signal: controller.signal, heartbeatMs: 100 })) seen.push(e.seq);
    })().catch(() => undefined);
    const acked: AppendResult[] = [];
    for (let i = 0; i < 40; i++) {
      const roll = random.next();
      const alive = cluster.nodes.filter((n) => n.alive);
      if (roll < 0.15 && alive.length >= 2) cluster.failover();
      else if (roll < 0.3) for (const n of cluster.nodes) if (!n.alive) cluster.revive(n.id);
      else if (roll < 0.45 && cluster.leaderId !== undefined) {
        cluster.inject({ node: cluster.leaderId, method: "Append", when: "after" });
      }
      acked.push(await client.append({ type: "task", content: `e${i}` }));
    }
    for (const r of acked) expect(cluster.log.filter((e) => e.id === r.id)).toHaveLength(1);
    expect(cluster.log).toHaveLength(40);
    await waitFor(() => seen.length >= 40, "the listener to catch up");
    controller.abort();
    await listening;
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i + 1)));
  });
});
