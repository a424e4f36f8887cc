import { expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { rm } from "node:fs/promises";
import { startTestHub } from "./hub-harness.js";

it("a graceful stop finishes in-flight appends and ends listeners with a retryable error", async () => {
  const h = await startTestHub();
  try {
    const c = h.client();
    const abort = new AbortController();
    const listener = (async () => {
      try {
        for await (const _ of c.listen({ heartbeatMs: 100 }, { signal: abort.signal })) void _;
        return undefined;
      } catch (err) {
        return ConnectError.from(err).code;
      }
    })();
    await c.append({ entries: [{ id: "warm", type: "task", content: "x" }] });
    const inFlight = Array.from({ length: 50 }, (_, i) => c.append({ entries: [{ id: `f${i}`, type: "task", content: "in flight at stop" }] }));
    const settled = Promise.allSettled(inFlight);
    await new Promise((r) => setImmediate(r));
    await h.hub.stop(10_000);
    const results = await settled;
    const ok = results.filter((r) => r.status === "fulfilled").length;
    // Calls the server had accepted complete. Streams opened after the GOAWAY
    // are refused by HTTP/2 (REFUSED_STREAM: provably not executed), which
    // connect-node reports as `internal`; the SDK classifies it as not executed.
    for (const r of results) {
      if (r.status === "rejected") expect(String(r.reason)).toMatch(/REFUSED_STREAM|unavailable/);
    }
    expect(await listener).toBe(Code.Unavailable);
    const again = await h.restart().catch(async () => startTestHub(h.dir, {}, h.admin));
    const page = await again.client().read({ limit: 1000 });
    expect(page.entries.length).toBe(1 + ok);
    await again.stop();
  } finally {
    await rm(h.dir, { recursive: true, force: true });
  }
});
