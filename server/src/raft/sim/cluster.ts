/**
 * A simulated cluster of real cores: one tick moves time for the network, the
 * disks, the clients and every node, then checks the invariants.
 */
import { bootstrapState } from "../bootstrap.js";
import type { RaftCore } from "../core.js";
import type { Random } from "../random.js";
import { seededRandom } from "../random.js";
import type { TestFaults } from "../state.js";
import type { NodeId } from "../types.js";
import { pickOne, stepCrashes, stepLeaderFault, stepPartitions, wantMembershipChange, wantTransfer } from "./chaos.js";
import { checkSendDurable } from "./durability.js";
import { InvariantChecker } from "./invariants.js";
import { Network } from "./network.js";
import type { SimFaults, SimParams } from "./params.js";
import { SimNode } from "./sim-node.js";
import type { NodeHooks } from "./sim-node.js";
import type { Trace } from "./trace.js";
import { check } from "./violation.js";
import { SimClient } from "./workload.js";
import { planMembershipChange } from "./membership-plan.js";

/** Mixes numbers into a 32-bit seed for an independent random stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

/** The cluster under test. */
export class SimCluster {
  readonly nodes: SimNode[] = [];
  private readonly byId = new Map<NodeId, SimNode>();
  readonly network: Network;
  readonly checker = new InvariantChecker();
  readonly clients: SimClient[] = [];
  /** Nodes removed from the membership; they keep running but serve no clients. */
  readonly removed = new Set<NodeId>();
  now = 0;
  chaos = true;
  /** Whether messages are checked against durable state when sent (§3.8). */
  sendCheck = true;
  private scheduled: { at: number; node: SimNode; term: bigint }[] = [];
  private readonly leaderCommits = new Map<SimNode, bigint>();

  constructor(
    readonly seed: number,
    readonly params: SimParams,
    private readonly random: Random,
    faults: TestFaults & SimFaults,
    readonly trace: Trace,
  ) {
    this.network = new Network(seededRandom(mixSeed(seed, 1)), { ...params });
    const ids = Array.from({ length: params.nodes }, (_, i) => `n${i + 1}`);
    const boot = bootstrapState(ids.slice(0, params.initialVoters));
    const options = {
      electionTicks: params.electionTicks,
      heartbeatTicks: params.heartbeatTicks,
      maxRecordsPerMsg: params.maxRecordsPerMsg,
      maxInflightMsgs: params.maxInflightMsgs,
      preVote: params.preVote,
      checkQuorum: params.checkQuorum,
      testFaults: faults,
    };
    for (const [i, id] of ids.entries()) {
      const node = new SimNode(id, options, faults, this.hooks());
      if (i < params.initialVoters) node.disk.format(boot.records, boot.hardState);
      this.nodes.push(node);
      this.byId.set(id, node);
      node.start(this.nodeRandom(node));
    }
    for (let c = 0; c < params.clients; c++) {
      this.clients.push(new SimClient(`c${c + 1}`, seededRandom(mixSeed(seed, 2, c)), () => this.servingIds(), params.clientRetryTicks));
    }
  }

  private nodeRandom(n: SimNode): Random {
    return seededRandom(mixSeed(this.seed, 3, this.nodes.indexOf(n), n.incarnation));
  }

  /** Nodes clients may talk to (not removed). */
  servingIds(): NodeId[] {
    return this.nodes.filter((n) => !this.removed.has(n.id)).map((n) => n.id);
  }

  private hooks(): NodeHooks {
    return {
      send: (now, m) => {
        this.trace.add(now, () => `send ${m.from}->${m.to} ${describeMessage(m)}`);
        const from = this.byId.get(m.from);
        if (from !== undefined && this.sendCheck) checkSendDurable(from.disk, m);
        this.network.send(now, m);
      },
      onWrite: (node, truncateFrom, records) => {
        this.trace.add(this.now, () => `${node.id} write trunc=${truncateFrom ?? "-"} ${records.map((r) => `${r.index}@${r.term}`).join(",")}`);
        this.checker.observeWrite(node.id, records, (i) => node.disk.current.term(i));
      },
      onApply: (node, r) => {
        this.trace.add(this.now, () => `${node.id} apply ${r.index}@${r.term} ${r.payload.kind === "entry" ? `${r.payload.entry.id} seq=${r.payload.entry.seq}` : r.payload.kind}`);
        this.checker.observeApply(node.id, r);
        if (r.payload.kind !== "entry") return;
        const s = r.payload.entry.seq;
        check(s === node.listenerSeq + 1n, "§9.7 listeners see no gaps or duplicates", () => `${node.id} listener got seq ${s} after ${node.listenerSeq}`);
        node.listenerSeq = s;
      },
      onEvent: (make) => this.trace.add(this.now, make),
      onConfigAccepted: (_node, change) => {
        if (change.kind === "remove") this.removed.add(change.nodeId);
      },
    };
  }

  /** The node currently leading, if exactly one running node thinks so at the highest term. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes) {
      const c = n.core;
      if (c === undefined || c.roleKind() !== "leader") continue;
      if (best === undefined || c.currentTerm() > (best.core as RaftCore).currentTerm()) best = n;
    }
    return best;
  }

  /** Advances the whole cluster by one tick and checks every invariant. */
  step(): void {
    this.now++;
    const now = this.now;
    if (this.chaos) {
      this.injectFaults(now);
      this.runScheduledFaults(now);
    }
    this.restartDue(now);
    for (const c of this.clients) {
      if (this.chaos && !c.busy() && this.random.nextInt(100) < this.params.proposeRate * 100) c.begin(now);
      c.tick(now, (to, entry, reply) => this.byId.get(to)?.enqueue({ kind: "append", entry, reply }));
    }
    for (const m of this.network.deliver(now)) this.byId.get(m.to)?.enqueue({ kind: "msg", m });
    const fsync = (): number => this.random.nextInt(this.params.maxFsyncTicks + 1);
    for (const n of this.nodes) {
      n.enqueue({ kind: "tick" });
      n.pump(now, fsync);
    }
    this.observe();
  }

  private observe(): void {
    for (const n of this.nodes) {
      const c = n.core;
      if (c === undefined) continue;
      this.checker.observeCommit(c);
      if (c.roleKind() !== "leader") continue;
      const fresh = this.checker.observeLeader(n.id, c.currentTerm());
      this.checker.checkLeaderCompleteness(n.id, c);
      if (!this.chaos) continue;
      if (fresh) this.maybeHitNewLeader(n, this.params.newLeaderFaultRate);
      const commit = c.commitIndex();
      if (commit > (this.leaderCommits.get(n) ?? commit)) this.maybeHitNewLeader(n, this.params.commitFaultRate, 0);
      this.leaderCommits.set(n, commit);
    }
  }

  /**
   * Schedules a fault for a leader at a dangerous moment: just elected (its no-op has
   * not spread yet) or just after its commit index moved (followers do not know yet),
   * at once or within about two round trips (thesis figure 3.7).
   */
  private maybeHitNewLeader(n: SimNode, rate: number, fixedDelay?: number): void {
    if (this.random.nextInt(1_000_000) >= rate * 1_000_000) return;
    const roundTrip = 2 * (1 + this.params.maxDelayTicks + this.params.maxFsyncTicks);
    const term = (n.core as RaftCore).currentTerm();
    const delay = fixedDelay ?? (this.random.nextInt(2) === 0 ? 0 : 1 + this.random.nextInt(2 * roundTrip));
    this.scheduled.push({ at: this.now + delay, node: n, term });
  }

  private runScheduledFaults(now: number): void {
    const due = this.scheduled.filter((f) => f.at <= now);
    this.scheduled = this.scheduled.filter((f) => f.at > now);
    for (const f of due) {
      const c = f.node.core;
      if (c === undefined || c.roleKind() !== "leader" || c.currentTerm() !== f.term) continue;
      const e = stepLeaderFault(this.random, { ...this.params, leaderFaultRate: 1 }, this.network, f.node, now);
      if (e !== undefined) this.trace.add(now, () => `new leader: ${e}`);
    }
  }

  private injectFaults(now: number): void {
    const part = stepPartitions(this.random, this.params, this.network, this.nodes.map((n) => n.id));
    if (part !== undefined) this.trace.add(now, () => part);
    for (const e of stepCrashes(this.random, this.params, this.nodes, now)) this.trace.add(now, () => e);
    if (wantTransfer(this.random, this.params)) this.requestTransfer();
    const leader = this.leader();
    if (leader !== undefined) {
      const e = stepLeaderFault(this.random, this.params, this.network, leader, now);
      if (e !== undefined) this.trace.add(now, () => e);
    }
    if (wantMembershipChange(this.random, this.params)) {
      const leader = this.leader();
      const change = leader?.core === undefined ? undefined : planMembershipChange(this.random, leader.core, this.nodes.map((n) => n.id), this.removed);
      if (leader !== undefined && change !== undefined) leader.enqueue({ kind: "config", change });
    }
  }

  private requestTransfer(): void {
    const leader = this.leader();
    const core = leader?.core;
    if (leader === undefined || core === undefined) return;
    const others = core.status().voters.filter((v) => v !== leader.id);
    if (others.length > 0) leader.enqueue({ kind: "transfer", to: pickOne(this.random, others) });
  }

  private restartDue(now: number): void {
    for (const n of this.nodes) {
      if (n.up() || (this.chaos && n.downUntil > now)) continue;
      n.start(this.nodeRandom(n));
      this.trace.add(now, () => `restart ${n.id} (incarnation ${n.incarnation})`);
    }
  }

  /** Ends the chaos: heal partitions, stop losing messages, bring every node back. */
  heal(): void {
    this.chaos = false;
    this.network.heal();
    this.network.faults.dropRate = 0;
    this.trace.add(this.now, () => "heal all");
  }
}

/** A one-line description of a message for traces. */
export function describeMessage(m: import("../messages.js").Message): string {
  switch (m.type) {
    case "vote":
      return `${m.pre ? "prevote" : "vote"} t${m.term} last=${m.lastIndex}@${m.lastTerm}${m.transfer ? " transfer" : ""}`;
    case "voteResp":
      return `${m.pre ? "prevote" : "vote"}Resp t${m.term} ${m.granted ? "granted" : "rejected"}`;
    case "append":
      return `app t${m.term} prev=${m.prevIndex}@${m.prevTerm} n=${m.records.length} commit=${m.commit}`;
    case "appendResp":
      return `appResp t${m.term} ${m.success ? "ok" : "reject"} idx=${m.index} hint=${m.hintIndex}@${m.hintTerm}`;
    case "heartbeat":
      return `hb t${m.term} commit=${m.commit} rs=${m.readSeq}`;
    case "heartbeatResp":
      return `hbResp t${m.term} rs=${m.readSeq}`;
    case "timeoutNow":
      return `timeoutNow t${m.term}`;
  }
}
