/**
 * TEST FIXTURE ONLY. Deliberately broken modes, so the conformance suite can
 * prove its checks catch real bugs (a check that passes a broken server is a
 * defect). Chosen with `SYNOD_TEST_BREAK=<mode,...>`, which start-up refuses
 * unless `--enable-test-control` is also given (config/hub-config.ts). Each
 * mode is one small seam, wired in hub.ts and nowhere else.
 */
import type { ConfigAt, EntryAt } from "../raft/storage.js";
import type { Seq, Term } from "../raft/types.js";
import { StoreLogStorage } from "../node/store-log-storage.js";
import type { LogStore } from "../storage/index.js";

/** The broken modes there are. */
export const testBreakNames = ["forget-dedup-after-failover", "serve-uncommitted"] as const;

/** One of {@link testBreakNames}. */
export type TestBreak = (typeof testBreakNames)[number];

/**
 * BROKEN ON PURPOSE (`forget-dedup-after-failover`): the core's view of the log
 * whose id lookup forgets every entry written in a term before the current one.
 * The core proposes only while leading, when the current term is the one this
 * node won, so a client that replays an acknowledged id after a failover gets a
 * second entry with a new seq instead of `duplicate` (DESIGN §3, "Idempotency", says never).
 */
export class ForgetfulDedupStorage extends StoreLogStorage {
  /** Same arguments as {@link StoreLogStorage}, plus the node's current term. */
  constructor(
    store: LogStore,
    configs: readonly ConfigAt[],
    private readonly currentTerm: () => Term,
  ) {
    super(store, configs);
  }

  override findEntry(id: string): EntryAt | undefined {
    const at = super.findEntry(id);
    if (at === undefined) return undefined;
    return (this.term(at.index) ?? 0n) < this.currentTerm() ? undefined : at;
  }
}

/**
 * BROKEN ON PURPOSE (`serve-uncommitted`): how far Read and Listen may serve —
 * the last entry on this node's disk instead of the last committed one, so a
 * deposed leader hands out entries a new leader may later erase.
 */
export function serveUncommittedThrough(store: LogStore): () => Seq {
  return () => store.lastSeq;
}
