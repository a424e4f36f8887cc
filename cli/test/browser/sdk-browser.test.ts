/**
 * The SDK in a real browser: the page (page.ts, bundled with esbuild) runs in
 * Debian's Chromium through playwright-core against a real 3-node cluster;
 * the leader is killed mid-test; every append completes, none is duplicated,
 * and the page's listener sees every seq once, with no gap.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";
import { startCluster, type Cluster } from "../cluster/cluster-harness.js";

const chromiumPath = "/usr/bin/chromium";
const count = 200;

let cluster: Cluster | undefined;
let browser: BrowserContext | undefined;
let server: http.Server | undefined;
let profile = "";

async function servePage(): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
    bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "warning",
  });
  const js = bundle.outputFiles[0]?.text ?? "";
  const html = `<!doctype html><meta charset="utf-8"><title>synod</title><script type="module" src="/page.js"></script>`;
  server = http.createServer((req, res) => {
    const isJs = req.url === "/page.js";
    res.setHeader("content-type", isJs ? "text/javascript" : "text/html");
    res.end(isJs ? js : html);
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium)`);
  profile = await mkdtemp(join(tmpdir(), "synod-chromium-"));
  cluster = await startCluster({ size: 3, timers: { electionTimeoutMs: 300, heartbeatMs: 50 } });
  // A fresh profile directory each run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (profile) await rm(profile, { recursive: true, force: true });
});

it("appends through a leader kill with no error, no duplicate, and a gap-free listener", { timeout: 180_000 }, async () => {
  const c = cluster as Cluster;
  const leader = await c.leader(30_000);
  const peers = c.ids.map((id) => c.nodes.get(id)?.url ?? "");
  const page = await (browser as BrowserContext).newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(await servePage());
  await page.waitForFunction(() => typeof window.startSynodTest === "function");
  await page.evaluate(([p, t, n]) => window.startSynodTest(p as string[], t as string, n as number, 4), [peers, c.adminToken, count] as const);
  await page.waitForFunction(() => window.synodTest.acked >= 50, undefined, { timeout: 60_000 });
  await c.kill(leader);
  await page.waitForFunction(() => window.synodTest.done, undefined, { timeout: 120_000, polling: 100 });
  await page.waitForFunction((n) => window.synodTest.seen.length >= n, count, { timeout: 60_000, polling: 100 }).catch(() => undefined);
  const state = await page.evaluate(() => window.synodTest);
  if (state.seen.length < count) console.error("listener state", JSON.stringify({ seen: state.seen.length, last: state.seen.slice(-3), errors: state.errors, acked: state.acked }));
  expect(state.errors).toEqual([]);
  expect(state.acked).toBe(count);
  expect(new Set(state.ackedSeqs).size, "no entry acknowledged twice").toBe(count);
  expect(state.seen.slice(0, count)).toEqual(Array.from({ length: count }, (_, i) => String(i + 1)));
  await page.evaluate(() => (window as unknown as { stopSynodTest: () => void }).stopSynodTest());
});
