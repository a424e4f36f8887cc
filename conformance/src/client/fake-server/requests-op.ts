/**
 * The `requests` operation of client cases: what the scripted fake servers received,
 * so a case can check where, when and with what the client under test sent its
 * requests (the same ids on every retry, the afterSeq of a resumed listen, the gaps
 * between attempts).
 */
import type { Outcome } from "../../case-format/case-types.js";
import type { CaseContext, OpHandler } from "../../runner/case-context.js";
import { fakeServersKey } from "../fake-servers-api.js";
import type { FakeRequestRecord } from "./request-recorder.js";
import { isScriptedFakeServers } from "./start-fake-servers.js";

/** Default wait of `atLeast`, ms. */
export const requestsWaitDefaultMs = 5_000;

/** The outcome of `requests` (see ops-client.v1.schema.json for every field). */
export interface RequestsSummary {
  readonly count: number;
  readonly requests: readonly FakeRequestRecord[];
  readonly servers: readonly string[];
  readonly methods: readonly string[];
  readonly answered: readonly string[];
  readonly gapsMs: readonly number[];
  readonly spanMs: number;
  readonly sinceFirstMs?: number;
  readonly sinceLastMs?: number;
  readonly distinctIdLists: number;
  readonly log: readonly { readonly seq: string; readonly id: string }[];
}

/**
 * Summarizes selected requests.
 * @param nowMs the current time on the recorder's clock.
 * @param log the shared fake log.
 */
export function summarizeRequests(
  records: readonly FakeRequestRecord[],
  nowMs: number,
  log: readonly { seq: string; id: string }[],
): RequestsSummary {
  const first = records[0];
  const last = records.at(-1);
  const idLists = new Set(records.filter((r) => r.ids !== undefined).map((r) => JSON.stringify(r.ids)));
  return {
    count: records.length,
    requests: records.map((r) => ({
      server: r.server,
      method: r.method,
      atMs: r.atMs,
      body: r.body,
      ...(r.ids !== undefined ? { ids: r.ids } : {}),
      answered: r.answered,
      protocol: r.protocol,
      httpVersion: r.httpVersion,
    })),
    servers: records.map((r) => r.server),
    methods: records.map((r) => r.method),
    answered: records.map((r) => r.answered),
    gapsMs: records.slice(1).map((r, i) => r.atMs - (records[i] as FakeRequestRecord).atMs),
    spanMs: first !== undefined && last !== undefined ? last.atMs - first.atMs : 0,
    ...(first !== undefined ? { sinceFirstMs: nowMs - first.atMs } : {}),
    ...(last !== undefined ? { sinceLastMs: nowMs - last.atMs } : {}),
    distinctIdLists: idLists.size,
    log,
  };
}

const names = (v: unknown, arg: string): string | string[] | undefined => {
  if (v === undefined || typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw new Error(`requests: ${arg} must be a name or a list of names`);
};

const count = (v: unknown, arg: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  throw new Error(`requests: ${arg} must be a non-negative integer, got ${JSON.stringify(v)}`);
};

/**
 * `requests {server?, method?, from?, limit?, atLeast?, timeoutMs?}`: the requests
 * the fake servers received (filtered by server and method, then the first `from`
 * skipped and at most `limit` kept). With `atLeast`, first waits until that many
 * match after `from` (woken by each request; an `error` outcome after `timeoutMs`).
 */
export const requestsOp: OpHandler = async (args, ctx: CaseContext): Promise<Outcome> => {
  const servers = ctx.state.get(fakeServersKey);
  if (!isScriptedFakeServers(servers)) throw new Error("requests: this case has no running fake servers (it needs network: fake and a fakeServers block)");
  const filter = { server: names(args.server, "server"), method: names(args.method, "method") };
  const from = count(args.from, "from", 0);
  const limit = count(args.limit, "limit", Number.POSITIVE_INFINITY);
  const atLeast = count(args.atLeast, "atLeast", 0);
  const timeoutMs = count(args.timeoutMs, "timeoutMs", requestsWaitDefaultMs);
  if (atLeast > 0) {
    const reached = await servers.waitForRequests(filter, from + atLeast, timeoutMs, ctx.signal);
    if (!reached) {
      const got = Math.max(0, servers.select(filter).length - from);
      const summary = summarizeRequests(servers.select(filter).slice(from), servers.nowMs(), servers.logEntries());
      return { error: { message: `only ${got} of ${atLeast} matching request(s) within ${timeoutMs} ms`, ...summary } };
    }
  }
  const selected = servers.select(filter).slice(from, from + limit);
  return { ok: summarizeRequests(selected, servers.nowMs(), servers.logEntries()) };
};
