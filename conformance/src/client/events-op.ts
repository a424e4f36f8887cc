/**
 * `events {name?, method?}`: the events the client under test reported so far
 * (driver-contract.ts `DriverEvents`), oldest first, optionally of one name and/or
 * one RPC method. On a live cluster an event with a `peer` also gets `node`, the id
 * of the node at that URL, so a case can fault the node a listener is connected to.
 */
import type { OpHandler } from "../runner/case-context.js";
import { clientSession } from "./client-session.js";

/** One event in an outcome. */
interface EventView {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly atMs: number;
  readonly node?: string;
}

/** → `{events: [{name, data, atMs, node?}], count, last?}`. */
export const eventsOp: OpHandler = async (a, ctx) => {
  const cluster = ctx.case.cluster !== undefined ? ctx.cluster() : undefined;
  const events: EventView[] = clientSession(ctx)
    .driver.events()
    .filter((e) => (a.name === undefined || e.name === a.name) && (a.method === undefined || e.data.method === a.method))
    .map((e) => {
      const node = cluster !== undefined && typeof e.data.peer === "string" ? cluster.nodeAt(e.data.peer) : undefined;
      return { name: e.name, data: e.data, atMs: e.atMs, ...(node !== undefined ? { node } : {}) };
    });
  const last = events.at(-1);
  return { ok: { events, count: events.length, ...(last !== undefined ? { last } : {}) } };
};
