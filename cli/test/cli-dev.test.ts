import { afterEach, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { cleanupProcesses, runSynod, synodBin, tempDir } from "./process-harness.js";

afterEach(cleanupProcesses);

it("synod dev starts a local hub, prints its URL, token and commands to try, and stops cleanly on Ctrl-C", async () => {
  const dir = await tempDir();
  const dev = spawn(process.execPath, [synodBin, "dev", "--dir", join(dir, "dev"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const killTimer = setTimeout(() => dev.kill("SIGKILL"), 120_000);
  try {
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
    const status = await runSynod(["hub", "status", "--json", "--url", url, "--token", token]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ role: "leader" });
    dev.kill("SIGINT");
    expect(await new Promise((r) => dev.once("exit", (code) => r(code)))).toBe(0);
    const after = await runSynod(["hub", "status", "--url", url, "--token", token, "--timeout", "1"]);
    expect(after.code, "the node is gone after Ctrl-C").toBe(1);
  } finally {
    clearTimeout(killTimer);
  }
});
