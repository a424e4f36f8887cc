/**
 * Prometheus metrics of a hub node (served at GET /metrics). One registry per
 * node, so several nodes can live in one process (tests, the simulator).
 * Gauges that mirror node state are read when scraped, never pushed.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the gauges read at scrape time. */
export interface MetricsSource {
  readonly isLeader: () => boolean;
  readonly term: () => bigint;
  readonly commitSeq: () => bigint;
  readonly appliedSeq: () => bigint;
  readonly members: () => number;
  readonly listeners: () => number;
  /** Per follower: entries behind the leader's log (leader only). */
  readonly replicationLag: () => ReadonlyMap<string, number>;
  /** Per member: ms since this node last heard from it. */
  readonly lastContactMs: () => ReadonlyMap<string, number>;
}

/** Latency buckets in seconds, from 0.1 ms to 10 s. */
const latencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics of one node. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly fsyncSeconds: Histogram;
  readonly appendSeconds: Histogram<"write_concern">;
  readonly leaderChanges: Counter;
  readonly appendedEntries: Counter;

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "synod_" });
    const gauge = (name: string, help: string, read: () => number | bigint): void => {
      new Gauge({ name, help, registers, collect() { this.set(Number(read())); } });
    };
    gauge("synod_is_leader", "1 when this node is the leader", () => (source.isLeader() ? 1 : 0));
    gauge("synod_term", "current Raft term", source.term);
    gauge("synod_commit_seq", "highest committed seq", source.commitSeq);
    gauge("synod_applied_seq", "highest seq this node serves", source.appliedSeq);
    gauge("synod_members", "members in the configuration", source.members);
    gauge("synod_listeners", "open Listen streams", source.listeners);
    const perPeer = (name: string, help: string, read: () => ReadonlyMap<string, number>): void => {
      new Gauge({
        name, help, registers, labelNames: ["peer"],
        collect() {
          this.reset();
          for (const [peer, v] of read()) this.set({ peer }, v);
        },
      });
    };
    perPeer("synod_replication_lag_entries", "entries a follower is behind the leader (leader only)", source.replicationLag);
    perPeer("synod_last_contact_ms", "ms since this node last heard from a member", source.lastContactMs);
    this.fsyncSeconds = new Histogram({ name: "synod_fsync_seconds", help: "log fdatasync latency", buckets: latencyBuckets, registers });
    this.appendSeconds = new Histogram({ name: "synod_append_seconds", help: "Append RPC latency, validation to acknowledgement", labelNames: ["write_concern"], buckets: latencyBuckets, registers });
    this.leaderChanges = new Counter({ name: "synod_leader_changes_total", help: "times this node saw the leader change", registers });
    this.appendedEntries = new Counter({ name: "synod_appended_entries_total", help: "entries appended through this node (duplicates excluded)", registers });
  }

  /** The text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
