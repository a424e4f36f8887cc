/**
 * The simulator's membership policy: add a spare as a learner, promote a caught-up
 * learner (the auto-promotion rule of DESIGN §5), or remove a voter while at least
 * three remain. The leader itself may be removed (thesis §4.2.2).
 */
import type { RaftCore } from "../core.js";
import type { Random } from "../random.js";
import { learnerCaughtUp } from "../status.js";
import type { ConfigChange, NodeId } from "../types.js";
import { pickOne } from "./chaos.js";

/** Chooses a change for the current leader to propose, or nothing. */
export function planMembershipChange(
  r: Random,
  leader: RaftCore,
  ids: readonly NodeId[],
  removed: ReadonlySet<NodeId>,
): ConfigChange | undefined {
  const st = leader.status();
  const members = new Set([...st.voters, ...st.learners]);
  const options: ConfigChange[] = [];
  const spares = ids.filter((id) => !members.has(id) && !removed.has(id));
  if (spares.length > 0) options.push({ kind: "addLearner", nodeId: pickOne(r, spares) });
  const ready = st.learners.filter((id) => learnerCaughtUp(st, id, 0n, 20));
  if (ready.length > 0) options.push({ kind: "promote", nodeId: pickOne(r, ready) });
  if (st.voters.length > 3) options.push({ kind: "remove", nodeId: pickOne(r, st.voters) });
  return options.length === 0 ? undefined : pickOne(r, options);
}
