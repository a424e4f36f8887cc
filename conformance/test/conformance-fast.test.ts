/**
 * The fast tier of the conformance suite against our own hub and SDK, one vitest
 * test per case (the full tier runs in CI through `synod-conformance --tier full`).
 * Our known-failing lists are empty, so every case must pass.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCases } from "../src/case-format/load-cases.js";
import { defaultAdapterCommand, defaultDriverCommand } from "../src/cli/main.js";
import type { RunReport } from "../src/runner/report.js";
import { runSuite, selectCases } from "../src/runner/run-suite.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const selection = { sides: "both", tier: "fast" } as const;
const cases = selectCases(await loadCases(), selection);
let report: RunReport | undefined;

beforeAll(async () => {
  report = await runSuite({ ...selection, cases, cwd: repoRoot, knownFailing: new Set(), adapterCommand: defaultAdapterCommand, driverCommand: defaultDriverCommand });
}, 20 * 60_000);

describe("conformance, fast tier: Synod's hub and SDK", () => {
  it("has cases on both sides", () => {
    expect(cases.some((c) => c.side === "server")).toBe(true);
    expect(cases.some((c) => c.side === "client")).toBe(true);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.title}`, () => {
      const row = report?.cases.find((r) => r.id === c.id);
      expect(row, "the case did not run").toBeDefined();
      expect(row?.status, `${row?.failure ?? ""}\n${row?.log.join("\n") ?? ""}`).toBe("pass");
    });
  }
});
