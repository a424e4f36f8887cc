import { afterEach, expect, it } from "vitest";
import { rssMiB, writeLogFixture } from "../../bench/log-fixture.js";
import { adminToken, cleanupProcesses, spawnHub, tempDir } from "./process-harness.js";
import { hubClient } from "./hub-client.js";

afterEach(cleanupProcesses);

const contentBytes = 1500;

/** Starts a hub on a log of `count` entries, reads it all through Read, and returns its RSS. */
async function rssAfterServing(count: number): Promise<number> {
  const dir = await tempDir();
  await writeLogFixture(dir, count, contentBytes);
  const hub = await spawnHub(dir, [], { timeoutMs: 300_000 });
  const c = hubClient(hub.url, await adminToken(dir));
  let after = 0n;
  for (;;) {
    const page = await c.read({ afterSeq: after, limit: 1000 });
    after = page.throughSeq;
    if (!page.hasMore) break;
  }
  expect(after).toBe(BigInt(count));
  const dup = await c.append({ entries: [{ id: `mem-${count}`, type: "learning", content: "again" }] });
  expect(dup.results[0]).toMatchObject({ seq: BigInt(count), duplicate: true });
  const rss = await rssMiB(hub.child.pid as number);
  hub.child.kill("SIGTERM");
  await hub.exited();
  return rss;
}

it("memory does not grow with the log's content: 4x the entries (+215 MiB of content) costs a few MiB of index", { timeout: 300_000 }, async () => {
  const small = await rssAfterServing(50_000);
  const large = await rssAfterServing(200_000);
  const contentMiB = (150_000 * contentBytes) / 2 ** 20;
  console.log(`hub RSS after serving the whole log: 50k entries ${small.toFixed(0)} MiB, 200k entries ${large.toFixed(0)} MiB (content difference ${contentMiB.toFixed(0)} MiB)`);
  expect(large - small).toBeLessThan(60);
});
