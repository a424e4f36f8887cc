/**
 * Starts the scripted fake servers of a Tier A client case (`fakeServers:`): one
 * loopback server per name, all sharing one fake log and one request recorder.
 * The script format is described in ops-client.v1.schema.json `$defs/fakeServers`.
 */
import { freePort } from "../../network/free-port.js";
import type { CaseContext } from "../../runner/case-context.js";
import type { FakeServers } from "../fake-servers-api.js";
import { FakeLog } from "./fake-log.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";
import { fakeServerNames, parseFakeServers } from "./parse-fake-servers.js";
import { RequestRecorder, type FakeRequestRecord, type RequestFilter } from "./request-recorder.js";
import { scriptedRoutes } from "./scripted-routes.js";

/** Requests listed in the case log when the servers close (the log shows for failed cases). */
const loggedRequestsMax = 200;

/** The running fake servers, with what the `requests` operation needs beyond {@link FakeServers}. */
export interface ScriptedFakeServers extends FakeServers {
  requests(server?: string, method?: string): FakeRequestRecord[];
  /** Requests matching a filter (server and method may be lists). */
  select(filter: RequestFilter): FakeRequestRecord[];
  /**
   * Resolves true once at least `count` requests match `filter`, false after
   * `timeoutMs` or when `signal` aborts. Woken by each request: no polling.
   */
  waitForRequests(filter: RequestFilter, count: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** The shared fake log as `{seq, id}`, in seq order. */
  logEntries(): { seq: string; id: string }[];
  /** Milliseconds since the servers started (the clock of `atMs`). */
  nowMs(): number;
}

/** True when `servers` came from {@link startFakeServers}. */
export function isScriptedFakeServers(servers: unknown): servers is ScriptedFakeServers {
  return typeof servers === "object" && servers !== null && typeof (servers as ScriptedFakeServers).waitForRequests === "function";
}

/**
 * Binds every fake server (a `down` one gets a port nothing listens on), parses the
 * script with their URLs, then starts answering. Saves the binding `fakeServers`
 * (`${fakeServers.b.url}`, `${fakeServers.b.port}`) and registers the shutdown with
 * `ctx.defer`, which also writes the received requests to the case log.
 * @throws FakeScriptError for a bad script (after closing what it started).
 */
export async function startFakeServers(spec: Readonly<Record<string, unknown>>, ctx: CaseContext): Promise<ScriptedFakeServers> {
  const entries = fakeServerNames(spec);
  const started = performance.now();
  const recorder = new RequestRecorder(() => performance.now() - started);
  const log = new FakeLog();
  const closing = new AbortController();
  const live = new Map<string, LoopbackServer>();
  const urls = new Map<string, string>();
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing.abort(new Error("the fake servers closed"));
      await Promise.all([...live.values()].map((s) => s.close()));
    })();
    return closed;
  };
  try {
    for (const { name, down } of entries) {
      if (down) continue;
      const server = await startLoopbackServer();
      live.set(name, server);
      urls.set(name, server.url);
    }
    // Ports of down servers are taken last, so none of the live servers can hold them.
    for (const { name, down } of entries) if (down) urls.set(name, `http://127.0.0.1:${await freePort()}`);
    const urlOf = (name: string): string => {
      const url = urls.get(name);
      if (url === undefined) throw new Error(`no fake server ${JSON.stringify(name)} in this case (${[...urls.keys()].join(", ")})`);
      return url;
    };
    const script = parseFakeServers(spec, urlOf);
    for (const server of script.servers) {
      live.get(server.name)?.serve(scriptedRoutes(server, { log, recorder, urlOf, closing: closing.signal }));
    }
    const names = entries.map((e) => e.name);
    ctx.bindings.set("fakeServers", Object.fromEntries(names.map((n) => [n, { url: urlOf(n), port: Number(new URL(urlOf(n)).port) }])));
    for (const n of names) ctx.log(`fake server ${n} at ${urlOf(n)}${live.has(n) ? "" : " (down: connections refused)"}`);
    ctx.defer(async () => {
      await close();
      logRequests(ctx, recorder.list());
    });
    return {
      names,
      url: urlOf,
      requests: (server, method) => recorder.list({ server, method }),
      select: (filter) => recorder.list(filter),
      waitForRequests: (filter, count, timeoutMs, signal) => recorder.waitFor(() => recorder.list(filter).length >= count, timeoutMs, signal),
      logEntries: () => log.snapshot(),
      nowMs: () => recorder.nowMs(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function logRequests(ctx: CaseContext, records: readonly FakeRequestRecord[]): void {
  ctx.log(`fake servers received ${records.length} request(s)${records.length > loggedRequestsMax ? `; the first ${loggedRequestsMax}:` : ":"}`);
  for (const r of records.slice(0, loggedRequestsMax)) {
    const ids = r.ids === undefined ? "" : ` ids=${r.ids.join(",")}`;
    const after = r.method === "Listen" ? ` afterSeq=${String((r.body as { afterSeq?: unknown }).afterSeq)}` : "";
    ctx.log(`  +${r.atMs}ms ${r.server} ${r.method}${ids}${after} → ${r.answered} (${r.protocol}, HTTP/${r.httpVersion})`);
  }
}
