/**
 * A background prober of leader hints (`watchHints`). Every round it asks each
 * running node for a consistent Read of one entry: a follower must refuse it with
 * `unavailable` and a NotLeader hint (DESIGN §6), and the leader serves it after
 * confirming its leadership. That is the least intrusive way to get a real hint:
 * unlike an Append it never writes (an Append that reaches the leader would add an
 * entry), unlike TransferLeadership it never moves leadership, and unlike Status it
 * is the very answer a client acts on.
 */
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { HubService } from "@synod/proto/hub";
import { rpcErrorValue } from "./error-outcome.js";
import { expectedProbeFailureCodes, unexpectedProbeFailures, type HintSample } from "./hint-analysis.js";
import { ConditionWaiters } from "../runner/condition-waiters.js";

/** Samples one watcher keeps at most; past it, it stops probing and says so. */
export const hintSamplesMax = 200_000;

/** What the watcher needs from the case. */
export interface HintWatcherDeps {
  /** The ids of the nodes to probe this round (the running ones). */
  readonly nodes: () => readonly string[];
  readonly client: (node: string) => Client<typeof HubService>;
  /** Pause between rounds, ms (the probing rate; nothing waits on it). */
  readonly intervalMs: number;
  /** Deadline of one probe, ms. */
  readonly probeTimeoutMs: number;
}

/** A running prober. */
export class HintWatcher {
  /**
   * Every probe that got a hint (a NotLeader detail, possibly empty) or a leader's
   * reply, in the order the answers arrived; at most {@link hintSamplesMax}.
   */
  readonly samples: HintSample[] = [];
  /**
   * Probes that got neither a hint nor a reply, by error code. Which codes are
   * excused is {@link expectedProbeFailureCodes}; see {@link unexpected}.
   */
  readonly failures: Record<string, number> = {};
  #rounds = 0;
  #overflowed = false;
  readonly #abort = new AbortController();
  readonly #waiters = new ConditionWaiters();
  readonly #started = performance.now();
  #done: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HintWatcherDeps) {}

  /** Rounds completed: each probed every node running at its start once, all at the same time. */
  get rounds(): number {
    return this.#rounds;
  }

  /**
   * True once {@link samples} reached {@link hintSamplesMax}: probing stopped there, so
   * what happened afterwards is not covered and a case should fail.
   */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Failed probes whose code no fault of the case explains (outside {@link expectedProbeFailureCodes}). */
  get unexpected(): number {
    return unexpectedProbeFailures(this.failures);
  }

  /** Starts probing until {@link stop} or `caseSignal`. */
  start(caseSignal: AbortSignal): void {
    const signal = AbortSignal.any([this.#abort.signal, caseSignal]);
    this.#done = (async () => {
      while (!signal.aborted && !this.#overflowed) {
        await Promise.all(this.deps.nodes().map((n) => this.#probe(n, signal)));
        this.#rounds++;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            signal.removeEventListener("abort", done);
            resolve();
          };
          const t = setTimeout(done, this.deps.intervalMs);
          signal.addEventListener("abort", done, { once: true });
        });
      }
    })();
  }

  /** Stops probing; resolves once the last round is over. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  /**
   * Resolves true once `condition` holds (checked now and after every sample), false
   * after `timeoutMs` or when `signal` aborts.
   */
  waitFor(condition: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.#waiters.waitFor(condition, timeoutMs, signal);
  }

  async #probe(node: string, signal: AbortSignal): Promise<void> {
    try {
      await this.deps.client(node).read({ consistent: true, limit: 1 }, { timeoutMs: this.deps.probeTimeoutMs, signal });
      this.#add({ node, kind: "leader", leaderId: "", term: 0n, atMs: this.#now() });
    } catch (err) {
      if (signal.aborted) return;
      const e = rpcErrorValue(err);
      if (err instanceof ConnectError && err.code === Code.Unavailable && e.notLeader) {
        this.#add({ node, kind: "hint", leaderId: e.notLeader.leaderId, term: BigInt(e.notLeader.term), atMs: this.#now() });
      } else {
        this.failures[e.code] = (this.failures[e.code] ?? 0) + 1;
      }
    }
  }

  #add(s: HintSample): void {
    if (this.samples.length >= hintSamplesMax) {
      this.#overflowed = true;
      return;
    }
    this.samples.push(s);
    this.#waiters.notify();
  }

  #now(): number {
    return Math.round(performance.now() - this.#started);
  }
}
