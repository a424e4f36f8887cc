/**
 * What a brand-new node writes before its first start: the initial membership
 * as config records, committed in term 1 (DESIGN §5 modes). Every initial
 * member of a bootstrap cluster writes the same records, so the logs agree.
 */
import { parseIdAddresses, type HubConfig } from "../config/hub-config.js";
import { bootstrapState, type BootstrapState } from "../raft/bootstrap.js";

/** The records and hard state for `single` (this node alone) or `bootstrap` (the listed members). */
export function initialRecords(cfg: HubConfig): BootstrapState {
  if (cfg.mode === "single") return bootstrapState([cfg.nodeId]);
  const peers = parseIdAddresses(cfg.bootstrap, "bootstrap");
  const ids = [...peers.keys()].sort();
  const base = bootstrapState(ids);
  // The config records carry each member's peer address, so a restart (or a
  // later joiner) learns them from the log instead of from flags.
  const records = base.records.map((r) =>
    r.payload.kind === "config" ? { ...r, payload: { kind: "config" as const, change: { ...r.payload.change, peerUrl: peers.get(r.payload.change.nodeId) ?? "" } } } : r,
  );
  return { records, hardState: base.hardState };
}
