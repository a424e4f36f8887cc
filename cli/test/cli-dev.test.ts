import { afterEach, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { cleanupProcesses, runSynod, synodBin, tempDir, track } from "./process-harness.js";

afterEach(cleanupProcesses);

it("synod dev starts a local 3-node cluster, prints URLs, token and commands to try, and stops cleanly on Ctrl-C", async () => {
  const dir = await tempDir();
  // SIGTERM lets synod dev stop its three nodes if the test ends early.
  const dev = track(spawn(process.execPath, [synodBin, "dev", "--dir", join(dir, "dev"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] }), "SIGTERM");
  {
    let out = "";
    await new Promise<void>((resolve, reject) => {
      dev.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ctrl-C stops")) resolve();
      });
      dev.once("exit", (code) => reject(new Error(`synod dev exited with ${code}`)));
    });
    const url = out.match(/client URL:\s+(\S+)/)?.[1] ?? "";
    const token = out.match(/admin token:\s+(\S+)/)?.[1] ?? "";
    expect(out).toContain("synod connection register");
    expect(out.match(/http:\/\/127\.0\.0\.1:\d+ {2}\(n\d\)/g)).toHaveLength(3);
    // The cluster elects a leader on its own; wait for a quorum (bounded).
    let status = { hasQuorum: false, members: [] as unknown[] };
    for (let i = 0; i < 50 && !status.hasQuorum; i++) {
      const r = await runSynod(["hub", "status", "--json", "--url", url, "--token", token]);
      if (r.code === 0) status = JSON.parse(r.stdout) as typeof status;
    }
    expect(status.hasQuorum).toBe(true);
    expect(status.members).toHaveLength(3);
    dev.kill("SIGINT");
    expect(await new Promise((r) => dev.once("exit", (code) => r(code)))).toBe(0);
    const after = await runSynod(["hub", "status", "--url", url, "--token", token, "--timeout", "1"]);
    expect(after.code, "the node is gone after Ctrl-C").toBe(1);
  }
});
