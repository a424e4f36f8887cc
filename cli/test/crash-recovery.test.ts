import { afterEach, describe, expect, it } from "vitest";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { adminToken, cleanupProcesses, runSynod, spawnHub, tempDir } from "./process-harness.js";
import { hubClient, readAll } from "./hub-client.js";

afterEach(cleanupProcesses);

describe("crash recovery of a real hub process", () => {
  it("kill -9 while 64 clients append: every acknowledged entry is there once, seqs dense", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(dir);
    const token = await adminToken(dir);
    const acked = new Map<string, bigint>();
    const inFlight = new Set<string>();
    let reachedTarget: () => void = () => {};
    const target = new Promise<void>((r) => (reachedTarget = r));
    const writers = Array.from({ length: 64 }, async (_, w) => {
      const c = hubClient(hub.url, token);
      for (let i = 0; ; i++) {
        const id = `w${w}-${i}`;
        inFlight.add(id);
        try {
          const r = await c.append({ entries: [{ id, type: "task", content: `writer ${w} entry ${i}` }] });
          acked.set(id, r.results[0]?.seq ?? -1n);
          inFlight.delete(id);
          if (acked.size >= 2000) reachedTarget();
        } catch {
          return; // the server died under us: this entry's outcome is unknown
        }
      }
    });
    await target;
    hub.child.kill("SIGKILL");
    await hub.exited();
    await Promise.all(writers);
    const again = await spawnHub(dir);
    const c = hubClient(again.url, token);
    const log = await readAll(c);
    const seqs = log.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => BigInt(i + 1)));
    const byId = new Map(log.map((e) => [e.id, e.seq]));
    expect(byId.size, "no id twice").toBe(log.length);
    for (const [id, seq] of acked) expect(byId.get(id), id).toBe(seq);
    // Retrying the unknown-outcome appends adds each at most once.
    for (const id of inFlight) await c.append({ entries: [{ id, type: "task", content: "retry" }] });
    const after = await readAll(c);
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
    expect(after.length).toBe(log.length + [...inFlight].filter((id) => !byId.has(id)).length);
  });

  it("refuses to start on a flipped byte mid-log, naming file, offset and the quarantine command; quarantine lets it start", async () => {
    const dir = await tempDir();
    let hub = await spawnHub(dir, ["--segment-bytes", "4096"]);
    const token = await adminToken(dir);
    const c = hubClient(hub.url, token);
    for (let i = 0; i < 60; i++) await c.append({ entries: [{ id: `e${i}`, type: "decision", content: `entry number ${i}` }] });
    hub.child.kill("SIGTERM");
    await hub.exited();
    const segs = (await readdir(join(dir, "log"))).filter((f) => f.endsWith(".seg")).sort();
    expect(segs.length).toBeGreaterThan(2);
    const victim = join(dir, "log", segs[1] as string);
    const bytes = await readFile(victim);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(victim, bytes);
    const failed = await spawnHub(dir).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(failed).toContain(segs[1]);
    expect(failed).toMatch(/offset \d+/);
    expect(failed).toContain("synod hub quarantine");
    const q = await runSynod(["hub", "quarantine", "--data-dir", dir, "--file", segs[1] as string]);
    expect(q.code, q.stderr).toBe(0);
    hub = await spawnHub(dir);
    const log = await readAll(hubClient(hub.url, token));
    expect(log.length).toBeGreaterThan(0);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => BigInt(i + 1)));
  });
});
