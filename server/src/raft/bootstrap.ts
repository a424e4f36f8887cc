/**
 * Initial membership (DESIGN §5 modes). `bootstrap` and `single` write the same
 * config records, in term 1 and already committed, on every initial member, so all
 * logs agree from the start; `join` starts empty and learns everything from the
 * leader once it is added as a learner.
 */
import { bootstrapChanges } from "./membership.js";
import type { HardState } from "./ready.js";
import type { LogRecord, NodeId } from "./types.js";
import { raftIndex, term } from "./types.js";

/** What to write to an empty disk before starting the core. */
export interface BootstrapState {
  readonly records: readonly LogRecord[];
  readonly hardState: HardState;
}

/**
 * Records and hard state that start a cluster whose voters are `voters` (for a
 * single-node cluster that can grow, pass just this node). Every initial member must
 * use the same list in the same order.
 */
export function bootstrapState(voters: readonly NodeId[]): BootstrapState {
  const records = bootstrapChanges(voters).map(
    (change, i): LogRecord => ({ index: raftIndex(i + 1), term: term(1), payload: { kind: "config", change } }),
  );
  return { records, hardState: { term: term(1), vote: undefined, commit: raftIndex(records.length) } };
}
