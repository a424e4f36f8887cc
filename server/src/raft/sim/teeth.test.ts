/**
 * Teeth: each test-only fault breaks one safety rule, and the simulator must catch it
 * within the CI seed budget. A simulator that misses one of these is not checking.
 */
import { describe, expect, it } from "vitest";
import { faultNames, faultOptions } from "./faults.js";
import { runSeed } from "./run.js";
import { firstViolation, seedRange } from "./seed-batch.js";

/** The most seeds a fault may take to be caught (the CI budget of one test file). */
const budget = 4000;

describe("simulator catches every injected fault", () => {
  for (const name of faultNames) {
    it(`catches ${name}`, () => {
      const found = firstViolation(seedRange(1, budget), faultOptions(name));
      expect(found, `${name} not caught in ${budget} seeds`).toBeDefined();
      console.log(`${name}: caught at seed ${found?.result.seed} after ${found?.tried} seeds: ${found?.result.violation?.message.split("\n")[0]}`);
    }, 120_000);
  }

  it("catches sendBeforePersist through the §9 invariants alone (send-time check off)", () => {
    let found: string | undefined;
    for (let seed = 1; seed <= budget && found === undefined; seed++) {
      const v = runSeed({ seed, faults: faultOptions("sendBeforePersist"), sendCheck: false }).violation;
      if (v?.invariant.startsWith("§9") === true) found = `seed ${seed}: ${v.message}`;
    }
    expect(found, "not caught").toBeDefined();
    console.log(`sendBeforePersist without the send check: ${found}`);
  }, 120_000);
});
