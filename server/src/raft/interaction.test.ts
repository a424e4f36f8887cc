/**
 * Runs the interaction scripts in testdata/ (one fresh cluster per file) and compares
 * every command's output with the expectation written under it. `REWRITE=1` writes
 * the actual output back; review the diff by hand before keeping it.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCommand } from "./script/commands.js";
import { parseScript, renderScript } from "./script/datadriven.js";
import { ScriptCluster } from "./script/harness.js";

const dir = fileURLToPath(new URL("./testdata", import.meta.url));
const rewrite = process.env["REWRITE"] === "1";

describe("raft interaction scripts", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
    it(file, () => {
      const path = join(dir, file);
      const cases = parseScript(readFileSync(path, "utf8"));
      const cluster = new ScriptCluster();
      const outputs = cases.map((c) => runCommand(cluster, c.command).join("\n"));
      if (rewrite) {
        writeFileSync(path, renderScript(cases, outputs));
        return;
      }
      cases.forEach((c, i) => {
        expect(outputs[i], `${file}:${c.line}: ${c.command}`).toBe(c.expected);
      });
    });
  }
});
