/**
 * A driver that exits right after its last write must not lose output: with a pipe
 * whose reader is slow, Node still buffers most of it when `process.exit` runs.
 * `exitWhenDrained` waits for stdout first (stdio-channel.ts).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const lines = 5_000;
const lineBytes = 1_000;

/** Runs a child that writes `lines` lines then exits through `exit`; reads its stdout only after 300 ms. */
function bytesReceived(exit: string): Promise<number> {
  const script = `${exit.includes("exitWhenDrained") ? 'import { exitWhenDrained } from "./conformance/src/driver/stdio-channel.js";' : ""}
    const line = "x".repeat(${lineBytes - 1}) + "\\n";
    for (let i = 0; i < ${lines}; i++) process.stdout.write(line);
    ${exit};`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], timeout: 20_000 });
  child.stdout.pause();
  setTimeout(() => child.stdout.resume(), 300);
  let bytes = 0;
  child.stdout.on("data", (d: Buffer) => (bytes += d.length));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", () => resolve(bytes));
  });
}

describe("exitWhenDrained", () => {
  it("delivers every line written before it to a slow reader", async () => {
    expect(await bytesReceived("await exitWhenDrained(0)")).toBe(lines * lineBytes);
  });

  it("is needed: a plain process.exit loses output here (else the test above proves nothing on this platform)", async () => {
    const bytes = await bytesReceived("process.exit(0)");
    if (process.platform === "linux") expect(bytes).toBeLessThan(lines * lineBytes);
  });
});
