import { describe, expect, it } from "vitest";
import type { Cluster } from "./cluster-harness.js";
import type { NodeHandle, NodeState } from "./cluster-node.js";
import { faultBudget, nemesisSchedule, type NemesisStep } from "./nemesis.js";
import { runNemesis } from "./nemesis-runner.js";
import { seededRandom, seedFromEnv } from "./seeded-random.js";

/** A cluster without processes: tracks node states and cut links, and checks the fault budget on every change. */
function fakeCluster(size: number) {
  const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
  const state = new Map<string, NodeState>(ids.map((id) => [id, "running"]));
  const cut = new Set<string>();
  const violations: string[] = [];
  const faulty = (): Set<string> => {
    const out = new Set(ids.filter((id) => state.get(id) !== "running"));
    for (const link of cut) out.add(link.split("->")[0] as string);
    return out;
  };
  const changed = (what: string): void => {
    const f = faulty();
    if (f.size > faultBudget(size)) violations.push(`${what}: ${[...f].join(",")} faulty`);
  };
  const setState = (id: string, from: NodeState[], to: NodeState): void => {
    const s = state.get(id);
    if (!s || !from.includes(s)) throw new Error(`${id} is ${s}, cannot become ${to}`);
    state.set(id, to);
    changed(`${to} ${id}`);
  };
  let leader = "n1";
  const unsupported = (): never => {
    throw new Error("not in the fake");
  };
  const cluster: Cluster = {
    ids,
    nodes: new Map(ids.map((id) => [id, { id, state: () => state.get(id) ?? "stopped" } as NodeHandle])),
    clients: new Map(),
    adminToken: "",
    network: undefined as unknown as Cluster["network"],
    kill: async (id) => setState(id, ["running", "paused"], "killed"),
    restart: async (id) => setState(id, ["killed", "exited", "running"], "running"),
    pause: (id) => setState(id, ["running"], "paused"),
    resume: (id) => setState(id, ["paused"], "running"),
    partition: (groups) => {
      cut.clear();
      const minority = groups.reduce((a, b) => (a.length <= b.length ? a : b));
      for (const a of minority) for (const b of ids) if (!minority.includes(b)) cut.add(`${a}->${b}`);
      changed(`partition ${JSON.stringify(groups)}`);
    },
    isolate: unsupported,
    cutLink: (from, to) => (cut.add(`${from}->${to}`), changed(`cut ${from}->${to}`)),
    heal: () => cut.clear(),
    running: () => ids.filter((id) => state.get(id) === "running"),
    statuses: unsupported,
    leader: async () => {
      const healthy = ids.filter((id) => !faulty().has(id));
      if (!healthy.includes(leader)) leader = healthy[0] ?? unsupported();
      return leader;
    },
    ready: unsupported,
    stop: async () => {},
  };
  return { cluster, violations, faulty, cut, state };
}

const seed = seedFromEnv();

describe("nemesis runner", () => {
  it(`applies generated schedules within the fault budget and leaves the cluster whole (SEED=${seed})`, async () => {
    console.log(`nemesis runner test: SEED=${seed}`);
    for (let i = 0; i < 100; i++) {
      for (const size of [3, 5]) {
        const fake = fakeCluster(size);
        const steps = nemesisSchedule({ size, steps: 30, random: seededRandom(seed + i), waitMs: { min: 0, max: 0 } });
        const applied = await runNemesis(fake.cluster, steps);
        expect(fake.violations, `SEED=${seed + i} size ${size}`).toEqual([]);
        expect(fake.faulty(), `SEED=${seed + i} size ${size}`).toEqual(new Set());
        expect(applied.filter((a) => a.step.op !== "wait").length).toBe(steps.filter((s) => s.op !== "wait").length);
      }
    }
  });

  it("kills the leader it finds, restarts that same node, and partitions the leader away with the right size", async () => {
    const fake = fakeCluster(5);
    const steps: NemesisStep[] = [
      { op: "kill", fault: 1, target: { role: "leader", pick: 0 } },
      { op: "partition-leader", fault: 2, size: 1, pick: 3 },
      { op: "heal", fault: 2 },
      { op: "restart", fault: 1 },
    ];
    const applied = await runNemesis(fake.cluster, steps);
    expect(applied.map((a) => a.nodes)).toEqual([["n1"], ["n2"], [], ["n1"]]);
    expect(fake.violations).toEqual([]);
  });

  it("undoes every active fault when aborted mid-schedule", async () => {
    const fake = fakeCluster(5);
    const abort = new AbortController();
    const steps: NemesisStep[] = [
      { op: "pause", fault: 1, target: { role: "follower", pick: 0 } },
      { op: "cut-one-way", fault: 2, from: { role: "leader", pick: 0 }, to: { role: "follower", pick: 1 } },
      { op: "wait", ms: 60_000 },
      { op: "resume", fault: 1 },
      { op: "heal", fault: 2 },
    ];
    const run = runNemesis(fake.cluster, steps, { signal: abort.signal });
    abort.abort();
    await run;
    expect(fake.cut.size).toBe(0);
    expect([...fake.state.values()].every((s) => s === "running")).toBe(true);
  });
});
