/**
 * Simulated seeds, part 2 of 4 (split so test workers can run them in parallel).
 * A failure prints the seed, its parameters and the last events; replay it with
 * `npx tsx server/src/raft/sim/cli.ts --seed S --seeds 1`.
 */
import { describe, expect, it } from "vitest";
import { firstFailure, seedRange } from "./seed-batch.js";

const part = 2;
const perPart = 2000;
const chunk = 500;

describe(`simulated cluster, seeds part ${part}`, () => {
  for (let from = 1 + (part - 1) * perPart; from <= part * perPart; from += chunk) {
    it(`seeds ${from}..${from + chunk - 1}`, () => {
      expect(firstFailure(seedRange(from, chunk))).toBeUndefined();
    }, 120_000);
  }
});
