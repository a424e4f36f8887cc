/**
 * One quarter of the CI seed budget as vitest tests (the seeds are split over
 * four files so test workers can run them in parallel). A failure prints the
 * seed, its parameters and the last events; replay it with
 * `npx tsx server/src/raft/sim/cli.ts --seed S --seeds 1`.
 */
import { describe, expect, it } from "vitest";
import { firstFailure, seedRange } from "./seed-batch.js";

/** Seeds per part, and per test. */
const perPart = 2000;
const chunk = 500;

/** Declares the tests of part `part` (1..4): seeds (part-1)*2000+1 .. part*2000. */
export function describeSeedPart(part: number): void {
  describe(`simulated cluster, seeds part ${part}`, () => {
    for (let from = 1 + (part - 1) * perPart; from <= part * perPart; from += chunk) {
      it(`seeds ${from}..${from + chunk - 1}`, () => {
        expect(firstFailure(seedRange(from, chunk))).toBeUndefined();
      }, 120_000);
    }
  });
}
