/**
 * A hub on a 1,000,000-entry log: start-up time, RSS after start, after a
 * full Read pass and after a Listen from seq 0 to the end.
 * Run: npx tsx bench/million-hub.ts [--entries N] [--content-bytes N]
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { HubService } from "@synod/proto/hub";
import { rssMiB, writeLogFixture } from "./log-fixture.js";

const { values } = parseArgs({ options: { entries: { type: "string", default: "1000000" }, "content-bytes": { type: "string", default: "200" } } });
const count = Number(values.entries);
const contentBytes = Number(values["content-bytes"]);
const dir = await mkdtemp(join(tmpdir(), "synod-million-"));
try {
  let t = performance.now();
  await writeLogFixture(dir, count, contentBytes);
  const writeS = (performance.now() - t) / 1000;
  const { readdir } = await import("node:fs/promises");
  let bytes = 0;
  for (const f of await readdir(join(dir, "log"))) bytes += (await stat(join(dir, "log", f))).size;
  t = performance.now();
  const bin = fileURLToPath(new URL("../cli/bin/synod.js", import.meta.url));
  const child = spawn(process.execPath, [bin, "hub", "start", "--data-dir", dir, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
  });
  const startS = (performance.now() - t) / 1000;
  const pid = child.pid as number;
  const rssStart = await rssMiB(pid);
  const token = (await readFile(join(dir, "admin.token"), "utf8")).trim();
  const c = createClient(HubService, createConnectTransport({ baseUrl: url, httpVersion: "2", interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))] }));
  t = performance.now();
  let after = 0n;
  for (;;) {
    const page = await c.read({ afterSeq: after, limit: 1000 });
    after = page.throughSeq;
    if (!page.hasMore) break;
  }
  const readS = (performance.now() - t) / 1000;
  const rssRead = await rssMiB(pid);
  t = performance.now();
  const abort = new AbortController();
  let seen = 0;
  for await (const m of c.listen({ afterSeq: 0n }, { signal: abort.signal })) {
    seen += m.entries.length;
    if (m.throughSeq >= BigInt(count)) break;
  }
  abort.abort();
  const listenS = (performance.now() - t) / 1000;
  const rssListen = await rssMiB(pid);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  console.log(`entries ${count} x ${contentBytes} B content; log ${(bytes / 2 ** 20).toFixed(0)} MiB on disk (written in ${writeS.toFixed(1)} s)`);
  console.log(`hub start-up (process spawn to listening, incl. recovery scan): ${startS.toFixed(1)} s`);
  console.log(`RSS: after start ${rssStart.toFixed(0)} MiB; after reading all ${after} entries (${readS.toFixed(1)} s) ${rssRead.toFixed(0)} MiB; after a Listen over all ${seen} (${listenS.toFixed(1)} s) ${rssListen.toFixed(0)} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
