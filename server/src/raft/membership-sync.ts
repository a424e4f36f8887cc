/**
 * Keeps a core's membership in step with its log, and the leader's follower set in
 * step with the membership (thesis §4.1: a server uses the latest configuration in
 * its log, committed or not).
 */
import { membershipOf } from "./membership.js";
import { newProgress } from "./progress.js";
import type { CoreState } from "./state.js";

/** Recomputes membership if the log's config records changed; syncs leader progress. */
export function refreshMembership(s: CoreState): void {
  if (s.membershipVersion === s.log.configVersion) return;
  s.membershipVersion = s.log.configVersion;
  s.membership = membershipOf(s.log.configChanges());
  const role = s.role;
  if (role.kind !== "leader") return;
  const members = new Set([...s.membership.voters, ...s.membership.learners]);
  for (const id of members) {
    if (id !== s.id && !role.progress.has(id)) role.progress.set(id, newProgress(s.log.lastIndex(), s.ticks));
  }
  for (const id of role.progress.keys()) {
    if (!members.has(id)) role.progress.delete(id);
  }
  if (role.transferee !== undefined && !s.membership.voters.has(role.transferee)) role.transferee = undefined;
}

/** The index of the last membership record, or 0 (used for "one change at a time", §4.1). */
export function lastConfigIndex(s: CoreState): bigint {
  const changes = s.log.configChanges();
  return changes[changes.length - 1]?.index ?? 0n;
}
