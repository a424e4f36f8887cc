import { afterEach, describe, expect, it } from "vitest";
import { createClient, isSynodError } from "@synod/sdk/node";
import { adminToken, cleanupProcesses, spawnHub, tempDir } from "./process-harness.js";
import { freePort } from "@synod/conformance/network";

afterEach(cleanupProcesses);

describe("the SDK against a real hub process", () => {
  it("appends, reads, listens and administers tokens", async () => {
    const hub = await spawnHub(await tempDir());
    const admin = createClient({ peers: [hub.url], token: await adminToken(hub.dataDir) });
    try {
      const { token } = await admin.register("sdk-app");
      const app = createClient({ peers: [hub.url.replace("http://", "")], token, httpVersion: "1.1" });
      const one = await app.append({ type: "decision", content: "first" });
      const many = await app.append([{ type: "task", content: "a" }, { type: "task", content: "b", id: one.id }]);
      expect(one.seq).toBe(1n);
      expect(many.map((r) => [r.seq, r.duplicate])).toEqual([
        [2n, false],
        [1n, true],
      ]);
      const page = await app.read({ types: ["task"] });
      expect(page.entries.map((e) => [e.seq, e.origin])).toEqual([[2n, "sdk-app"]]);
      const err = await app.append({ type: "nonsense", content: "x" }).catch((e: unknown) => e);
      expect(isSynodError(err) && err.kind).toBe("invalidArgument");
      expect(isSynodError(err) && err.details.fieldViolations?.[0]?.field).toBe("entries[0].type");
      expect((await admin.listTokens()).map((t) => t.name).sort()).toEqual(["admin", "sdk-app"]);
      app.close();
    } finally {
      admin.close();
    }
  });

  it("listen resumes with no gap and no duplicate across a kill -9 and restart of the hub", async () => {
    const dir = await tempDir();
    const port = await freePort();
    let hub = await spawnHub(dir, ["--listen", `127.0.0.1:${port}`]);
    const token = await adminToken(dir);
    const client = createClient({ peers: [hub.url], token, heartbeatMs: 200, backoff: { baseMs: 20, capMs: 200 } });
    const seqs: bigint[] = [];
    const stop = new AbortController();
    const resumed: bigint[] = [];
    client.on("resume", (e) => resumed.push(e.afterSeq));
    const listening = (async () => {
      for await (const e of client.listenEntries({ signal: stop.signal })) {
        seqs.push(e.seq);
        if (seqs.length === 200) return;
      }
    })();
    for (let i = 0; i < 100; i++) await client.append({ type: "learning", content: `before ${i}` });
    hub.child.kill("SIGKILL");
    await hub.exited();
    hub = await spawnHub(dir, ["--listen", `127.0.0.1:${port}`]);
    for (let i = 0; i < 100; i++) await client.append({ type: "learning", content: `after ${i}` });
    await listening;
    stop.abort();
    client.close();
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i + 1)));
    expect(resumed.length).toBeGreaterThan(0);
  });
});
