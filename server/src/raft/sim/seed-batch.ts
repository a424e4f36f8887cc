/**
 * Helpers for the seed tests: run a range of seeds, read the regression list, and
 * describe a failure with its seed, parameters and trace.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TestFaults } from "../state.js";
import type { SimFaults } from "./params.js";
import { describeParams } from "./params.js";
import type { RunResult } from "./run.js";
import { runSeed } from "./run.js";

/** Runs seeds and returns a readable report of the first failure, or undefined. */
export function firstFailure(seeds: Iterable<number>, faults?: TestFaults & SimFaults): string | undefined {
  for (const seed of seeds) {
    const res = runSeed(faults === undefined ? { seed } : { seed, faults });
    if (res.violation !== undefined) return report(res, faults);
  }
  return undefined;
}

/** The first seed in `seeds` that shows a violation, with the run's result. */
export function firstViolation(seeds: Iterable<number>, faults: TestFaults & SimFaults): { tried: number; result: RunResult } | undefined {
  let tried = 0;
  for (const seed of seeds) {
    tried++;
    const result = runSeed({ seed, faults });
    if (result.violation !== undefined) return { tried, result };
  }
  return undefined;
}

function report(res: RunResult, faults?: TestFaults & SimFaults): string {
  const replay = runSeed({ seed: res.seed, trace: true, ...(faults === undefined ? {} : { faults }) });
  return [`seed ${res.seed}: ${res.violation?.message}`, describeParams(res.params), ...replay.trace.slice(-60)].join("\n");
}

/** `count` consecutive seeds starting at `from`. */
export function* seedRange(from: number, count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield from + i;
}

/** The seeds listed in regression-seeds.txt. */
export function regressionSeeds(): number[] {
  const path = fileURLToPath(new URL("./regression-seeds.txt", import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line.length > 0)
    .map(Number);
}
