import { afterEach, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./hub-harness.js";

let h: TestHub | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it("10,000 appends replayed with the same ids add nothing and return the original seqs", async () => {
  h = await startTestHub();
  const c = h.client();
  const batches = Array.from({ length: 100 }, (_, b) =>
    Array.from({ length: 100 }, (_, i) => ({ id: `id-${b}-${i}`, type: "learning", content: `learning ${b}/${i}` })),
  );
  const original = new Map<string, bigint>();
  await Promise.all(
    batches.map(async (entries) => {
      const r = await c.append({ entries });
      for (const x of r.results) original.set(x.id, x.seq);
    }),
  );
  expect(original.size).toBe(10_000);
  const before = (await c.status({})).commitSeq;
  expect(before).toBe(10_000n);
  await Promise.all(
    batches.map(async (entries) => {
      const r = await c.append({ entries });
      for (const x of r.results) {
        expect(x.duplicate).toBe(true);
        expect(x.seq).toBe(original.get(x.id));
      }
    }),
  );
  expect((await c.status({})).commitSeq).toBe(before);
  // And after a restart, from the rebuilt id index.
  h = await h.restart();
  const r = await h.client().append({ entries: batches[42] ?? [] });
  expect(r.results.every((x) => x.duplicate && x.seq === original.get(x.id))).toBe(true);
});
