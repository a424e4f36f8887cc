/**
 * The suite has teeth (docs/conformance.md, "Teeth"): each deliberately broken
 * implementation kept as a fixture is caught by at least one case, and the case
 * fails on an expectation about what was observed, not because the harness broke.
 * The same cases pass against our real hub and SDK (conformance-fast.test.ts and
 * the full tier in CI).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCases } from "../src/case-format/load-cases.js";
import { defaultAdapterCommand, defaultDriverCommand } from "../src/cli/main.js";
import { runSuite } from "../src/runner/run-suite.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (path: string): string => `"${process.execPath}" --import tsx "${resolve(repoRoot, "conformance/fixtures", path)}"`;
const cases = await loadCases();

interface Broken {
  readonly name: string;
  readonly sides: "server" | "client";
  readonly adapter?: string;
  readonly driver?: string;
  /** Cases that must each fail against this implementation. */
  readonly caughtBy: readonly string[];
}

const broken: readonly Broken[] = [
  { name: "a server that forgets dedup after failover", sides: "server", adapter: `${defaultAdapterCommand} --break forget-dedup-after-failover`, caughtBy: ["server.dedup.across-failover"] },
  { name: "a server that serves uncommitted entries", sides: "server", adapter: `${defaultAdapterCommand} --break serve-uncommitted`, caughtBy: ["server.listen.committed-only"] },
  // The naive client also retries Register blindly after an unknown outcome.
  { name: "a client that retries without reusing ids", sides: "client", driver: fixture("broken-clients/fresh-ids-driver.ts"), caughtBy: ["client.fake.same-ids-on-retry", "client.fake.unsafe-not-retried-after-drop", "client.live.append-retries-reuse-ids", "client.live.register-not-blindly-retried"] },
  { name: "a client that skips a gap", sides: "client", driver: fixture("broken-clients/gap-skipping-driver.ts"), caughtBy: ["client.fake.listen-gap", "client.live.listen-resumes-after-restart", "client.live.listen-resumes-after-failover"] },
];

describe("the conformance suite catches broken implementations", () => {
  for (const b of broken) {
    it(`catches ${b.name}`, async () => {
      const report = await runSuite({
        sides: b.sides, tier: "full", only: b.caughtBy, cases, cwd: repoRoot, knownFailing: new Set(),
        adapterCommand: b.adapter ?? defaultAdapterCommand, driverCommand: b.driver ?? defaultDriverCommand,
      });
      expect(report.cases.map((c) => c.id).sort()).toEqual([...b.caughtBy].sort());
      for (const c of report.cases) {
        expect(c.status, `${c.id} should fail against ${b.name}\n${c.log.join("\n")}`).toBe("fail");
        // Caught by what the case observed, not by a harness failure such as a driver that did not start.
        expect(c.failure, c.failure).toMatch(/does not match the expectation/);
      }
    }, 5 * 60_000);
  }
});
