/**
 * The interaction-script commands. Each takes the words after the command name and
 * returns the lines it printed. See README.md in the parent folder for the list.
 */
import type { Message } from "../messages.js";
import type { CoreOptions } from "../state.js";
import type { ConfigChange, NodeId } from "../types.js";
import { formatMessage, formatRecord, formatStatus } from "./format.js";
import type { ScriptCluster } from "./harness.js";

type Command = (c: ScriptCluster, args: string[]) => string[];

function opts(args: string[]): { ids: string[]; kv: Map<string, string> } {
  const kv = new Map<string, string>();
  const ids: string[] = [];
  for (const a of args) {
    const eq = a.indexOf("=");
    if (eq > 0) kv.set(a.slice(0, eq), a.slice(eq + 1));
    else ids.push(a);
  }
  return { ids, kv };
}

function coreOptions(kv: Map<string, string>): Partial<CoreOptions> {
  const o: Record<string, number | boolean> = {};
  const num = (k: string, name: string): void => {
    const v = kv.get(k);
    if (v !== undefined) o[name] = Number(v);
  };
  num("election", "electionTicks");
  num("heartbeat", "heartbeatTicks");
  num("max-records", "maxRecordsPerMsg");
  num("max-inflight", "maxInflightMsgs");
  if (kv.has("prevote")) o["preVote"] = kv.get("prevote") === "true";
  if (kv.has("checkquorum")) o["checkQuorum"] = kv.get("checkquorum") === "true";
  return o as Partial<CoreOptions>;
}

/** `a->b` filters, or everything. */
function linkFilter(args: string[]): (m: Message) => boolean {
  const link = args.find((a) => a.includes("->"));
  if (link === undefined) return () => true;
  const [from, to] = link.split("->");
  return (m) => (from === "*" || m.from === from) && (to === "*" || m.to === to);
}

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x));
}

const commands: Record<string, Command> = {
  bootstrap(c, args) {
    const { ids, kv } = opts(args);
    c.options = coreOptions(kv);
    for (const id of ids) c.addNode(id, ids);
    return ["ok"];
  },
  "add-node"(c, args) {
    for (const id of args) c.addNode(id, []);
    return ["ok"];
  },
  campaign(c, [id]) {
    c.core(id as NodeId).campaign();
    return ["ok"];
  },
  propose(c, [id, ...entryIds]) {
    const items = entryIds.map((eid) => ({
      kind: "entry" as const,
      entry: { id: eid, type: "task", content: eid, meta: {}, createdAtMs: 0, origin: "script", committedAtMs: 0 },
    }));
    return [json(c.core(id as NodeId).propose(items))];
  },
  conf(c, [id, kind, nodeId]) {
    const change = { kind, nodeId } as ConfigChange;
    return [json(c.core(id as NodeId).proposeConfigChange(change))];
  },
  transfer(c, [id, to]) {
    return [json(c.core(id as NodeId).transferLeadership(to as NodeId))];
  },
  "read-index"(c, [id, ctx]) {
    return [json(c.core(id as NodeId).readIndex(ctx ?? "r"))];
  },
  tick(c, [id, n]) {
    const ids = id === undefined || id === "all" ? c.ids().filter((x) => c.node(x).core !== undefined) : [id];
    for (let i = 0; i < Number(n ?? 1); i++) for (const x of ids) c.core(x).tick();
    return ["ok"];
  },
  ready(c, [id]) {
    const n = c.node(id as NodeId);
    const rd = c.takeReady(n);
    if (rd === undefined) return ["no ready"];
    return [
      `hard: ${rd.hardState === undefined ? "-" : `term=${rd.hardState.term} vote=${rd.hardState.vote ?? "-"} commit=${rd.hardState.commit}`}`,
      `records: ${rd.records.map(formatRecord).join(", ") || "-"}`,
      ...rd.messages.map((m) => `message: ${formatMessage(m)}`),
      ...rd.committed.map((r) => `committed: ${formatRecord(r)}`),
    ];
  },
  process(c, args) {
    const ids = args.length > 0 ? args : c.ids();
    const out = ids.flatMap((id) => c.process(c.node(id)));
    return out.length > 0 ? out : ["ok"];
  },
  deliver(c, args) {
    const max = args.find((a) => /^\d+$/.test(a));
    const out = c.deliver(linkFilter(args), max === undefined ? undefined : Number(max));
    return out.length > 0 ? out : ["ok"];
  },
  drop(c, args) {
    const f = linkFilter(args);
    const dropped = c.queue.filter(f);
    c.queue = c.queue.filter((m) => !f(m));
    return dropped.length > 0 ? dropped.map((m) => `dropped ${formatMessage(m)}`) : ["ok"];
  },
  partition(c, args) {
    const bar = args.indexOf("|");
    c.partition(args.slice(0, bar), args.slice(bar + 1));
    return ["ok"];
  },
  heal(c) {
    c.heal();
    return ["ok"];
  },
  crash(c, [id]) {
    const n = c.node(id as NodeId);
    n.core = undefined;
    n.pending = undefined;
    return ["ok"];
  },
  restart(c, [id]) {
    c.start(c.node(id as NodeId));
    return ["ok"];
  },
  stabilize(c, args) {
    const out = c.stabilize(args.length > 0 ? args : c.ids());
    return out.length > 0 ? out : ["ok"];
  },
  status(c, args) {
    const ids = args.length > 0 ? args : c.ids();
    return ids.flatMap((id) => (c.node(id).core === undefined ? [`${id} down`] : formatStatus(c.core(id).status())));
  },
  log(c, [id]) {
    const core = c.core(id as NodeId);
    const recs = core.recordsFrom(1n as never, 100_000);
    return recs.length > 0 ? recs.map((r) => `${formatRecord(r)}${r.index <= core.commitIndex() ? "" : " (uncommitted)"}`) : ["empty"];
  },
};

/** Runs one command line; unknown commands and thrown errors print as `error: ...`. */
export function runCommand(c: ScriptCluster, line: string): string[] {
  const [name, ...args] = line.trim().split(/\s+/);
  const cmd = name === undefined ? undefined : commands[name];
  if (cmd === undefined) return [`error: unknown command ${name}`];
  try {
    return cmd(c, args);
  } catch (e) {
    return [`error: ${e instanceof Error ? e.message : String(e)}`];
  }
}
