import { describe, expect, it } from "vitest";
import { allFaultKinds, checkSchedule, describeStep, faultBudget, nemesisSchedule, type NemesisStep } from "./nemesis.js";
import { seededRandom, seedFromEnv } from "./seeded-random.js";

const seed = seedFromEnv();

describe("nemesis schedules", () => {
  it(`keeps at most a minority faulty and heals everything, over 500 seeds from SEED=${seed}`, () => {
    console.log(`nemesis schedule test: SEED=${seed}`);
    for (let i = 0; i < 500; i++) {
      for (const size of [3, 5]) {
        const steps = nemesisSchedule({ size, steps: 40, random: seededRandom(seed + i) });
        expect(checkSchedule(steps, size), `SEED=${seed + i} size ${size}`).toEqual([]);
      }
    }
  });

  it("replays exactly from a seed", () => {
    const a = nemesisSchedule({ size: 5, steps: 30, random: seededRandom(seed) });
    const b = nemesisSchedule({ size: 5, steps: 30, random: seededRandom(seed) });
    expect(b).toEqual(a);
  });

  it("draws every kind of fault, and only the kinds asked for", () => {
    const ops = new Set<string>();
    const steps = nemesisSchedule({ size: 5, steps: 400, random: seededRandom(seed) });
    for (const s of steps) {
      if (s.op === "kill" || s.op === "pause") ops.add(`${s.op}-${s.target.role}`);
      else if (s.op !== "wait") ops.add(s.op);
    }
    for (const k of allFaultKinds) expect(ops, k).toContain(k);
    const only = nemesisSchedule({ size: 3, steps: 100, random: seededRandom(seed), kinds: ["pause-follower"] });
    expect(new Set(only.map((s) => s.op))).toEqual(new Set(["pause", "resume", "wait"]));
  });

  it("uses the whole budget of a 5-node cluster at times, never more", () => {
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      const steps = nemesisSchedule({ size: 5, steps: 40, random: seededRandom(seed + i) });
      let faulty = 0;
      const cost = new Map<number, number>();
      for (const s of steps) {
        if (s.op === "wait") continue;
        if (s.op === "restart" || s.op === "resume" || s.op === "heal") faulty -= cost.get(s.fault) ?? 0;
        else cost.set(s.fault, "size" in s ? s.size : 1), (faulty += cost.get(s.fault) ?? 0);
        peak = Math.max(peak, faulty);
      }
    }
    expect(peak).toBe(faultBudget(5));
  });

  it("tolerates no fault in clusters of 1 and 2", () => {
    expect(faultBudget(1)).toBe(0);
    expect(faultBudget(2)).toBe(0);
    expect(nemesisSchedule({ size: 1, steps: 10, random: seededRandom(seed) }).every((s) => s.op === "wait")).toBe(true);
  });

  it("waits within the configured bounds", () => {
    const steps = nemesisSchedule({ size: 3, steps: 50, random: seededRandom(seed), waitMs: { min: 10, max: 20 } });
    const waits = steps.filter((s): s is Extract<NemesisStep, { op: "wait" }> => s.op === "wait").map((s) => s.ms);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...waits)).toBeLessThanOrEqual(20);
  });

  describe("checkSchedule catches unsafe schedules", () => {
    const leader = { role: "leader", pick: 0 } as const;
    const follower = { role: "follower", pick: 1 } as const;
    it("a majority faulty", () => {
      const steps: NemesisStep[] = [{ op: "kill", fault: 1, target: leader }, { op: "pause", fault: 2, target: follower }, { op: "restart", fault: 1 }, { op: "resume", fault: 2 }];
      expect(checkSchedule(steps, 3)).toEqual(["step 2: 2 faulty nodes, more than the 1 a cluster of 3 tolerates"]);
    });
    it("a fault never undone, and one undone by the wrong step", () => {
      const steps: NemesisStep[] = [{ op: "kill", fault: 1, target: leader }, { op: "resume", fault: 1 }, { op: "pause", fault: 2, target: follower }];
      expect(checkSchedule(steps, 5)).toEqual(["step 2: resume of fault 1, which is not an active fault undone by resume", "fault 2 is never undone"]);
    });
    it("two network faults at once", () => {
      const steps: NemesisStep[] = [
        { op: "partition-minority", fault: 1, size: 1, pick: 0 },
        { op: "cut-one-way", fault: 2, from: leader, to: follower },
        { op: "heal", fault: 1 },
        { op: "heal", fault: 2 },
      ];
      expect(checkSchedule(steps, 5)).toEqual(["step 2: a second network fault while one is active"]);
    });
  });

  it("describes steps in one line", () => {
    expect(describeStep({ op: "cut-one-way", fault: 3, from: { role: "leader", pick: 0 }, to: { role: "follower", pick: 7 } })).toBe("cut leader -> follower#7 (fault 3)");
    expect(describeStep({ op: "restart", fault: 2 })).toBe("restart fault 2");
  });
});
