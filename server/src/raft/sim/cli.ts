/**
 * Runs batches of simulated seeds: `npx tsx server/src/raft/sim/cli.ts --seeds N
 * [--seed S] [--fault NAME]`. Prints the parameters of each failing seed and the last
 * events before the violation (replayed with tracing on; runs are deterministic).
 */
import type { FaultName } from "./faults.js";
import { faultOptions, faultNames } from "./faults.js";
import { describeParams } from "./params.js";
import { paramsForSeed, runSeed } from "./run.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): number {
  const count = Number(arg("seeds") ?? "1000");
  const start = Number(arg("seed") ?? "1");
  const fault = arg("fault");
  if (fault !== undefined && !faultNames.includes(fault as FaultName)) {
    console.error(`unknown fault ${fault}; known: ${faultNames.join(", ")}`);
    return 2;
  }
  const faults = fault === undefined ? {} : faultOptions(fault as FaultName);
  const began = performance.now();
  let failures = 0;
  let maxLiveness = 0;
  console.log(`simulating seeds ${start}..${start + count - 1}${fault === undefined ? "" : ` with fault ${fault}`}`);
  for (let i = 0; i < count; i++) {
    const seed = start + i;
    if (count <= 10) console.log(`seed=${seed} ${describeParams(paramsForSeed(seed))}`);
    const res = runSeed({ seed, faults });
    if (count <= 10) console.log(`  -> ${res.violation === undefined ? "ok" : "VIOLATION"}, ${res.ticks} ticks, ${res.committed} committed records, ${res.acked} acknowledged appends, liveness ${res.livenessTicks} ticks`);
    maxLiveness = Math.max(maxLiveness, res.livenessTicks);
    if (res.violation !== undefined) {
      failures++;
      const replay = runSeed({ seed, faults, trace: true });
      console.log(`\nVIOLATION seed=${seed}: ${res.violation.message}`);
      console.log(replay.trace.join("\n"));
      console.log(`VIOLATION seed=${seed}: ${res.violation.message} (replay with --seed ${seed} --seeds 1)\n`);
      if (fault !== undefined) break;
    }
    if ((i + 1) % 1000 === 0 || i + 1 === count) {
      const secs = ((performance.now() - began) / 1000).toFixed(1);
      console.log(`${i + 1}/${count} seeds, ${failures} violations, max liveness ${maxLiveness} ticks, ${secs}s`);
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
