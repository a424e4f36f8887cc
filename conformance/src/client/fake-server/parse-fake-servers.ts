/**
 * Turns a case's `fakeServers:` block into a {@link FakeServersScript}. The schema
 * (ops-client.v1.schema.json `$defs/fakeServers`) already refused most mistakes; this
 * parser checks again with paths in its messages (it is also called directly, from
 * tests), resolves fake server names to URLs and builds every `ok` message once, so a
 * bad script fails before the client under test starts.
 */
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { autoMethods, fakeMethod, isScriptableMethod, type ScriptableMethod } from "./fake-methods.js";
import type {
  DropMode,
  FakeServerScript,
  FakeServersScript,
  ScriptedAction,
  ScriptedEntryRef,
  ScriptedError,
  ScriptedResponse,
  StreamStep,
} from "./fake-script.js";

/** A script that cannot be run; the message names the path (`fakeServers.a.Append[1].error.code`). */
export class FakeScriptError extends Error {}

/** Keys of a server other than method names. */
const serverKeys = new Set(["down", "term", "leader", "members"]);

/** Fake server names: a lower-case letter, then letters, digits or dashes. */
const namePattern = /^[a-z][a-z0-9-]{0,31}$/;

/** Connect codes by their wire name (`resource_exhausted`). */
export const codesByWireName: ReadonlyMap<string, Code> = new Map(
  Object.values(Code)
    .filter((v): v is Code => typeof v === "number")
    .map((c) => [Code[c].replace(/[a-z](?=[A-Z])/g, (m) => `${m}_`).toLowerCase(), c] as const),
);

type Obj = Readonly<Record<string, unknown>>;

function fail(path: string, message: string): never {
  throw new FakeScriptError(`${path}: ${message}`);
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, `expected a mapping, got ${JSON.stringify(v)}`);
  return v;
}

function onlyKeys(o: Obj, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown key (allowed: ${allowed.join(", ")})`);
}

function nonNegInt(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(path, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A 64-bit value written as an integer or a decimal string. */
function u64(v: unknown, path: string): bigint {
  if (typeof v === "bigint" && v >= 0n) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^\d{1,20}$/.test(v)) return BigInt(v);
  return fail(path, `expected a non-negative integer (number or decimal string), got ${JSON.stringify(v)}`);
}

function str(v: unknown, path: string): string {
  if (typeof v !== "string") fail(path, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** The names and `down` flags, read before any port is bound. */
export function fakeServerNames(spec: Obj): { readonly name: string; readonly down: boolean }[] {
  const names = Object.keys(spec);
  if (names.length === 0) fail("fakeServers", "define at least one fake server");
  return names.map((name) => {
    if (!namePattern.test(name)) fail(`fakeServers.${name}`, "a name is a lower-case letter then up to 31 of [a-z0-9-]");
    const server = spec[name] === null ? {} : obj(spec[name], `fakeServers.${name}`);
    return { name, down: server.down === true };
  });
}

/**
 * Parses and checks the whole block.
 * @param urlOf the base URL of a fake server by name (every name of `spec` is known).
 * @throws FakeScriptError naming the first bad path.
 */
export function parseFakeServers(spec: Obj, urlOf: (name: string) => string): FakeServersScript {
  const names = fakeServerNames(spec).map((s) => s.name);
  const ref = (v: unknown, path: string, allowEmpty: boolean): string => {
    const name = str(v, path);
    if ((name === "" && allowEmpty) || names.includes(name)) return name;
    return fail(path, `${JSON.stringify(name)} is not a fake server of this case (${names.join(", ")})`);
  };
  const servers = names.map((name): FakeServerScript => {
    const path = `fakeServers.${name}`;
    const raw = spec[name] === null ? {} : obj(spec[name], path);
    const methods = new Map<ScriptableMethod, readonly ScriptedResponse[]>();
    for (const [key, value] of Object.entries(raw)) {
      if (serverKeys.has(key)) continue;
      if (!isScriptableMethod(key)) fail(`${path}.${key}`, `not a scriptable RPC or server setting (RPCs: Append, Read, Listen, Status, Register, Revoke, List, ClusterStatus; settings: ${[...serverKeys].join(", ")})`);
      methods.set(key, parseResponses(value, key, `${path}.${key}`, { ref, urlOf }));
    }
    if (raw.down !== undefined && typeof raw.down !== "boolean") fail(`${path}.down`, "expected true or false");
    if (raw.down === true && methods.size > 0) fail(path, "a down server answers nothing: remove its scripted RPCs");
    const members = raw.members === undefined ? [] : raw.members;
    if (!Array.isArray(members)) fail(`${path}.members`, "expected a list of fake server names");
    return {
      name,
      down: raw.down === true,
      term: raw.term === undefined ? 1n : u64(raw.term, `${path}.term`),
      leader: raw.leader === undefined ? "" : ref(raw.leader, `${path}.leader`, true),
      members: members.map((m, i) => ref(m, `${path}.members[${i}]`, false)),
      methods,
    };
  });
  return { servers };
}

interface Resolver {
  readonly ref: (v: unknown, path: string, allowEmpty: boolean) => string;
  readonly urlOf: (name: string) => string;
}

function parseResponses(value: unknown, method: ScriptableMethod, path: string, r: Resolver): ScriptedResponse[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, "expected a non-empty list of responses (used in order, the last one repeats)");
  return value.map((v, i) => parseResponse(v, method, `${path}[${i}]`, r));
}

const responseKeys = ["ok", "error", "hang", "drop", "stream", "delayMs", "times"];

function parseResponse(value: unknown, method: ScriptableMethod, path: string, r: Resolver): ScriptedResponse {
  const o = obj(value, path);
  onlyKeys(o, responseKeys, path);
  const delayMs = o.delayMs === undefined ? 0 : nonNegInt(o.delayMs, `${path}.delayMs`);
  const times = o.times === undefined ? 1 : nonNegInt(o.times, `${path}.times`);
  if (times < 1) fail(`${path}.times`, "must be at least 1");
  const present = ["ok", "error", "hang", "stream"].filter((k) => o[k] !== undefined);
  if (present.length === 0 && o.drop === undefined) fail(path, "needs one of ok, error, hang, drop, stream");
  if (present.length > 1) fail(path, `${present.join(" and ")} cannot be combined`);
  const action = parseAction(o, present[0], method, path, r);
  return { action, delayMs, times };
}

function parseAction(o: Obj, kind: string | undefined, method: ScriptableMethod, path: string, r: Resolver): ScriptedAction {
  const drop = o.drop === undefined ? undefined : parseDrop(o.drop, `${path}.drop`);
  if (kind !== undefined && kind !== "ok" && drop !== undefined) fail(`${path}.drop`, `drop combines only with ok (execute, then lose the answer), not with ${kind}`);
  const streaming = method === "Listen";
  switch (kind) {
    case "ok": {
      if (streaming) fail(`${path}.ok`, "a Listen answer is a stream: use stream: [...]");
      const body = parseOkBody(o.ok, method, `${path}.ok`, r);
      return drop === undefined ? { kind: "ok", body } : { kind: "ok", body, thenDrop: drop };
    }
    case "error":
      return { kind: "error", error: parseError(o.error, `${path}.error`, r) };
    case "hang":
      if (o.hang !== true) fail(`${path}.hang`, "write hang: true");
      return { kind: "hang" };
    case "stream":
      if (!streaming) fail(`${path}.stream`, "only Listen answers with a stream");
      return { kind: "stream", steps: parseStream(o.stream, `${path}.stream`, r) };
    default:
      return { kind: "drop", mode: drop ?? "stream" };
  }
}

function parseDrop(v: unknown, path: string): DropMode {
  if (v === true || v === "stream") return "stream";
  if (v === "connection") return "connection";
  return fail(path, `expected true, "stream" or "connection", got ${JSON.stringify(v)}`);
}

function parseOkBody(v: unknown, method: ScriptableMethod, path: string, r: Resolver): "auto" | ReturnType<typeof fromJson> {
  if (v === "auto") {
    if (!autoMethods.has(method)) fail(path, `ok: auto is not defined for ${method}; give the answer as protobuf JSON`);
    return "auto";
  }
  const json = substituteUrls(obj(v, path), path, r);
  try {
    return fromJson(fakeMethod(method).output, json as JsonValue);
  } catch (err) {
    return fail(path, `not a valid ${fakeMethod(method).output.typeName} in protobuf JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Replaces every `{$url: name}` with that fake server's base URL. */
function substituteUrls(v: unknown, path: string, r: Resolver): unknown {
  if (Array.isArray(v)) return v.map((x, i) => substituteUrls(x, `${path}[${i}]`, r));
  if (!isObj(v)) return v;
  if ("$url" in v) {
    if (Object.keys(v).length !== 1) fail(path, "{$url: name} stands alone");
    return r.urlOf(r.ref(v.$url, `${path}.$url`, false));
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteUrls(x, `${path}.${k}`, r)]));
}

const errorKeys = ["code", "message", "notLeader", "retryAfterMs", "storageFull", "compacted", "badRequest"];

/** `error: unavailable` or `error: {code, message?, notLeader?, retryAfterMs?, storageFull?, compacted?, badRequest?}`. */
function parseError(v: unknown, path: string, r: Resolver): ScriptedError {
  const o = typeof v === "string" ? { code: v } : obj(v, path);
  onlyKeys(o, errorKeys, path);
  const codeName = str(o.code, `${path}.code`);
  const code = codesByWireName.get(codeName);
  if (code === undefined) fail(`${path}.code`, `unknown code ${JSON.stringify(codeName)} (one of ${[...codesByWireName.keys()].join(", ")})`);
  let e: ScriptedError = { code, codeName, message: o.message === undefined ? `scripted ${codeName}` : str(o.message, `${path}.message`) };
  if (o.notLeader !== undefined) {
    const nl = o.notLeader === null ? {} : obj(o.notLeader, `${path}.notLeader`);
    onlyKeys(nl, ["leader", "term"], `${path}.notLeader`);
    const leader = nl.leader === undefined ? "" : r.ref(nl.leader, `${path}.notLeader.leader`, true);
    const term = nl.term === undefined ? 0n : u64(nl.term, `${path}.notLeader.term`);
    e = { ...e, notLeader: { leaderId: leader, leaderUrl: leader === "" ? "" : r.urlOf(leader), term } };
  }
  if (o.retryAfterMs !== undefined) e = { ...e, retryAfterMs: nonNegInt(o.retryAfterMs, `${path}.retryAfterMs`) };
  if (o.storageFull !== undefined) e = { ...e, storageFull: str(o.storageFull, `${path}.storageFull`) };
  if (o.compacted !== undefined) {
    const c = obj(o.compacted, `${path}.compacted`);
    onlyKeys(c, ["earliestSeq"], `${path}.compacted`);
    e = { ...e, compactedEarliestSeq: u64(c.earliestSeq, `${path}.compacted.earliestSeq`) };
  }
  if (o.badRequest !== undefined) {
    if (!Array.isArray(o.badRequest)) fail(`${path}.badRequest`, "expected a list of {field, description}");
    e = {
      ...e,
      badRequest: o.badRequest.map((f, i) => {
        const fo = obj(f, `${path}.badRequest[${i}]`);
        return { field: str(fo.field, `${path}.badRequest[${i}].field`), description: str(fo.description ?? "", `${path}.badRequest[${i}].description`) };
      }),
    };
  }
  return e;
}

function parseStream(v: unknown, path: string, r: Resolver): StreamStep[] {
  if (!Array.isArray(v)) fail(path, "expected a list of steps: batch, heartbeat, delayMs, end, silent, drop");
  const steps = v.map((s, i) => parseStep(s, `${path}[${i}]`, r));
  const last = steps.findIndex((s) => s.kind === "end" || s.kind === "silent" || s.kind === "drop");
  if (last !== -1 && last !== steps.length - 1) fail(`${path}[${last + 1}]`, "nothing can follow end, silent or drop");
  return steps;
}

function parseStep(v: unknown, path: string, r: Resolver): StreamStep {
  const o = obj(v, path);
  const keys = Object.keys(o);
  if (keys.length !== 1) fail(path, `a step has exactly one key (batch, heartbeat, delayMs, end, silent, drop), got ${keys.join(", ") || "none"}`);
  const key = keys[0] as string;
  const value = o[key];
  const at = `${path}.${key}`;
  switch (key) {
    case "batch":
      return parseBatch(obj(value, at), at);
    case "heartbeat": {
      const h = obj(value, at);
      onlyKeys(h, ["through"], at);
      return { kind: "heartbeat", through: u64(h.through, `${at}.through`) };
    }
    case "delayMs":
      return { kind: "delay", ms: nonNegInt(value, at) };
    case "end":
      if (value === true || (isObj(value) && Object.keys(value).length === 0)) return { kind: "end" };
      return { kind: "end", error: parseError(value, at, r) };
    case "silent":
      if (value !== true) fail(at, "write silent: true");
      return { kind: "silent" };
    case "drop":
      return { kind: "drop", mode: parseDrop(value, at) };
    default:
      return fail(at, "unknown step (batch, heartbeat, delayMs, end, silent, drop)");
  }
}

/**
 * `{after, through, ids?, seqs?, commit?}`. Entries get seqs after+1, after+2, …
 * unless `seqs` gives them (to script a server that breaks the ordering rules).
 * Nothing here checks that the batch is well-formed: broken streams are the point.
 */
function parseBatch(b: Obj, path: string): StreamStep {
  onlyKeys(b, ["after", "through", "ids", "seqs", "commit"], path);
  const after = u64(b.after, `${path}.after`);
  const through = u64(b.through, `${path}.through`);
  const ids = b.ids === undefined ? [] : b.ids;
  if (!Array.isArray(ids)) fail(`${path}.ids`, "expected a list of entry ids");
  const seqs = b.seqs === undefined ? ids.map((_, i) => after + BigInt(i + 1)) : b.seqs;
  if (!Array.isArray(seqs) || seqs.length !== ids.length) fail(`${path}.seqs`, "expected one seq per id");
  const entries: ScriptedEntryRef[] = ids.map((id, i) => ({ id: str(id, `${path}.ids[${i}]`), seq: u64(seqs[i], `${path}.seqs[${i}]`) }));
  const commit = b.commit === undefined ? through : u64(b.commit, `${path}.commit`);
  return { kind: "batch", after, through, entries, commit };
}
