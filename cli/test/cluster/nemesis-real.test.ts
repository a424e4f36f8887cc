import { expect, it } from "vitest";
import { nemesisTrial } from "./nemesis-trial.js";

// Seeds chosen at random once; a failing seed found by the soak script is added here.
const seeds = [Number(process.env.SEED ?? 0) || 1101, 2027];

for (const seed of seeds) {
  it(`seed ${seed}: no acknowledged append lost or duplicated, logs agree, listeners gap-free (SEED=${seed} replays)`, { timeout: 240_000 }, async () => {
    const r = await nemesisTrial(seed);
    if (r.violations.length > 0) console.error(`seed ${seed} schedule:\n  ${r.steps.join("\n  ")}`);
    expect(r.violations).toEqual([]);
    expect(r.acked).toBeGreaterThan(20);
  });
}
