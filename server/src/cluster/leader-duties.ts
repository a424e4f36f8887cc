/**
 * What a leader does now and then, outside the core: install the admin token
 * when the cluster has none, and promote learners once they have caught up
 * (DESIGN §5: joiners are promoted automatically and never count before).
 */
import { hashToken, newTokenId, newTokenSecret } from "../auth/token-secret.js";
import type { Logger } from "../logger.js";
import type { HubNode } from "../node/hub-node.js";
import { learnerCaughtUp } from "../raft/status.js";
import { PeriodicTask } from "./periodic-task.js";

/** A learner is promoted when it is within this many records of the leader... */
const promoteLagRecordsMax = 64n;

/** Options of {@link LeaderDuties}. */
export interface LeaderDutiesEnv {
  readonly node: HubNode;
  readonly logger: Logger;
  readonly nowMs: () => number;
  /** ...and answered within this many ticks. */
  readonly promoteSilenceTicksMax: number;
  /** The admin secret to install, or "" to generate one. */
  readonly adminToken: string;
  /** Told the generated admin secret (to save and print it). */
  readonly onAdminTokenCreated: (secret: string) => Promise<void>;
}

/** Runs the duties every period while this node leads. */
export class LeaderDuties extends PeriodicTask {
  constructor(private readonly env: LeaderDutiesEnv) {
    super(env.logger, "leader duties");
  }

  /** One round; does nothing unless this node leads. */
  protected async round(): Promise<void> {
    const rs = this.env.node.runtime.status();
    // Only once this leader has applied everything up to an entry of its own
    // term: before that its token table may lag the committed log.
    if (rs.role !== "leader" || rs.applied < rs.commit || this.env.node.runtime.termAt(rs.commit) !== rs.term) return;
    await this.#ensureAdmin();
    for (const id of rs.learners) {
      // Caught up means it has really answered: a learner that never acknowledged
      // anything (wrong secret, wrong address) must never become a voter, or
      // the cluster could lose its quorum to a node that cannot take part.
      const f = rs.followers.get(id);
      if (!f || f.state !== "replicate" || f.match === 0n || !f.recentActive) continue;
      if (!learnerCaughtUp(rs, id, promoteLagRecordsMax, this.env.promoteSilenceTicksMax)) continue;
      const r = await this.env.node.runtime.proposeConfigChange({ kind: "promote", nodeId: id });
      if (r.ok) this.env.logger.info("promoting caught-up learner to voter", { node: id });
      break; // one membership change at a time (thesis §4.1)
    }
  }

  async #ensureAdmin(): Promise<void> {
    const node = this.env.node;
    if (node.tokens.hasAdmin()) return;
    const secret = this.env.adminToken || newTokenSecret("admin");
    await node.proposeToken({ kind: "create", tokenId: newTokenId(), name: "admin", tokenKind: "admin", hash: hashToken(secret), createdAtMs: this.env.nowMs() });
    if (!this.env.adminToken) await this.env.onAdminTokenCreated(secret);
  }
}
