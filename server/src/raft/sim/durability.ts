/**
 * The runtime's side of persistence (thesis §3.8): a message may only leave a node
 * once everything it vouches for is durable. Checked against the simulated disk's
 * durable state at the moment of sending, so a crash can never take back a promise.
 */
import type { Message } from "../messages.js";
import type { SimDisk } from "./disk.js";
import { check } from "./violation.js";

const rule = "§3.8 persist before send";

/** Checks that `m` depends only on durable state of the sender's disk. */
export function checkSendDurable(disk: SimDisk, m: Message): void {
  const hard = disk.durableHardState();
  const durableTerm = hard?.term ?? 0n;
  switch (m.type) {
    case "vote":
      if (m.pre) return;
      // A later durable term also keeps the promise: the node can never act in m.term again.
      check(durableTerm > m.term || (durableTerm === m.term && hard?.vote === m.from), rule, () => `${m.from} asks votes for term ${m.term}; durable term ${durableTerm} vote ${hard?.vote}`);
      return;
    case "voteResp":
      if (m.pre || !m.granted) return;
      check(durableTerm > m.term || (durableTerm === m.term && hard?.vote === m.to), rule, () => `${m.from} grants ${m.to} term ${m.term}; durable term ${durableTerm} vote ${hard?.vote}`);
      return;
    case "appendResp":
      check(durableTerm >= m.term, rule, () => `${m.from} answers in term ${m.term}; durable term ${durableTerm}`);
      if (!m.success) return;
      check(m.index === 0n || disk.durableTerm(m.index) === disk.current.term(m.index), rule, () => `${m.from} acknowledges index ${m.index} before it is durable`);
      return;
    default:
      check(durableTerm >= m.term, rule, () => `${m.from} sends ${m.type} in term ${m.term}; durable term ${durableTerm}`);
  }
}
