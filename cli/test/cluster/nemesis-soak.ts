/**
 * Runs many nemesis trials and prints a line per trial and a summary:
 * `npx tsx cli/test/cluster/nemesis-soak.ts --runs 50 [--seed S] [--size 3|5]`.
 */
import { parseArgs } from "node:util";
import { nemesisTrial } from "./nemesis-trial.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "50" }, seed: { type: "string", default: "1" }, size: { type: "string", default: "3" }, steps: { type: "string", default: "6" } } });
const runs = Number(values.runs);
const first = Number(values.seed);
let failed = 0;
let acked = 0;
const t0 = Date.now();
for (let i = 0; i < runs; i++) {
  const seed = first + i;
  const r = await nemesisTrial(seed, { size: Number(values.size), steps: Number(values.steps) });
  acked += r.acked;
  if (r.violations.length > 0) failed++;
  console.log(`seed ${seed}: acked ${r.acked}, unknown ${r.unknown}, final ${r.finalEntries}, listener resumes ${r.listenerResumes}, violations ${r.violations.length}${r.violations.length ? "\n  " + r.violations.slice(0, 10).join("\n  ") + "\n  schedule: " + r.steps.join("; ") : ""}`);
}
console.log(`${runs} trials in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${acked} acknowledged appends, ${failed} trial(s) with violations`);
process.exitCode = failed > 0 ? 1 : 0;
