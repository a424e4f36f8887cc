import { afterEach, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./hub-harness.js";

let h: TestHub | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it("Backup streams every committed entry as JSON lines, up to the commit seq at its start", async () => {
  h = await startTestHub();
  const c = h.client();
  await c.append({ entries: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, type: "decision", content: `entry ${i}` })) });
  let text = "";
  let finalSeq = 0n;
  for await (const chunk of h.cluster().backup({ afterSeq: 0n })) {
    text += new TextDecoder().decode(chunk.chunk);
    finalSeq = chunk.finalSeq;
  }
  const lines = text.trim().split("\n").map((l) => JSON.parse(l) as { id: string; seq: string; origin: string });
  expect(lines.map((l) => [l.id, l.seq])).toEqual(Array.from({ length: 5 }, (_, i) => [`b${i}`, String(i + 1)]));
  expect(lines[0]?.origin).toBe("admin");
  expect(finalSeq).toBe(5n);
});

it("WatchStatus streams the status again and again", async () => {
  h = await startTestHub();
  const abort = new AbortController();
  const seen: bigint[] = [];
  for await (const m of h.cluster().watchStatus({ intervalMs: 100 }, { signal: abort.signal })) {
    seen.push(m.status?.commitSeq ?? -1n);
    if (seen.length === 3) break;
  }
  abort.abort();
  expect(seen).toHaveLength(3);
});
