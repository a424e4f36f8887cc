/**
 * Hub configuration from a YAML file, `SYNOD_*` environment variables and
 * command-line flags; flags win over the environment, which wins over the file.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { testBreakNames, type TestBreak } from "../control/test-breaks.js";
import { defaultEntryTypes } from "../rpc/limits.js";

/** A resolved hub configuration. */
export interface HubConfig {
  /** Where the log, tokens and state live. */
  readonly dataDir: string;
  /** Client address `host:port`; port 0 picks a free port. */
  readonly listen: string;
  /** Stable node id. */
  readonly nodeId: string;
  /** Allowed entry types. */
  readonly entryTypes: readonly string[];
  /** Segment size bound in bytes. */
  readonly segmentBytes: number;
  /** `single`, `bootstrap` or `join` (DESIGN §5). Derived from the other settings when not given. */
  readonly mode: "single" | "bootstrap" | "join";
  /** Peer address `host:port`; default: the client port + 1 (port 0 stays 0). */
  readonly peerListen: string;
  /** Bootstrap mode: `id=host:port` peer addresses of every initial member. */
  readonly bootstrap: readonly string[];
  /** `id=host:port` dial overrides for peers (e.g. through a proxy). */
  readonly peerRoutes: readonly string[];
  /** Shared secret of node-to-node calls; "" generates one (single mode) or comes from the join. */
  readonly clusterSecret: string;
  /** Join mode: the client URL of a member. */
  readonly join: string;
  /** Join mode: a join token from `synod hub token create --join`. */
  readonly joinToken: string;
  /** The admin secret to install when the cluster has none; "" generates one. */
  readonly adminToken: string;
  /** Base election timeout in ms (randomized up to twice this). */
  readonly electionTimeoutMs: number;
  /** Leader heartbeat period in ms. */
  readonly heartbeatMs: number;
  /** Client URL other nodes and clients should use for this node (default from --listen). */
  readonly advertiseClientUrl: string;
  /** Peer URL other nodes should use for this node (default from --peer-listen). */
  readonly advertisePeerUrl: string;
  /** Serve the test-only ControlService (fail points). Never in production. */
  readonly enableTestControl: boolean;
  /** Deliberately broken modes for the conformance suite's own tests; needs `enableTestControl`. */
  readonly testBreaks: readonly TestBreak[];
}

/** The settings as they may appear in any source (all strings or lists). */
export type HubConfigInput = Partial<Record<keyof HubConfig, string | readonly string[] | number | boolean>>;

/** Defaults for anything no source sets. */
export const hubConfigDefaults: HubConfig = {
  dataDir: "./synod-data",
  listen: "127.0.0.1:9900",
  nodeId: "n1",
  entryTypes: defaultEntryTypes,
  segmentBytes: 64 * 1024 * 1024,
  mode: "single",
  peerListen: "",
  bootstrap: [],
  peerRoutes: [],
  clusterSecret: "",
  join: "",
  joinToken: "",
  adminToken: "",
  electionTimeoutMs: 300,
  heartbeatMs: 50,
  advertiseClientUrl: "",
  advertisePeerUrl: "",
  enableTestControl: false,
  testBreaks: [],
};

const keys: Record<keyof HubConfig, { yaml: string; env: string }> = {
  dataDir: { yaml: "data-dir", env: "SYNOD_DATA_DIR" },
  listen: { yaml: "listen", env: "SYNOD_LISTEN" },
  nodeId: { yaml: "node-id", env: "SYNOD_NODE_ID" },
  entryTypes: { yaml: "entry-types", env: "SYNOD_ENTRY_TYPES" },
  segmentBytes: { yaml: "segment-bytes", env: "SYNOD_SEGMENT_BYTES" },
  mode: { yaml: "mode", env: "SYNOD_MODE" },
  peerListen: { yaml: "peer-listen", env: "SYNOD_PEER_LISTEN" },
  bootstrap: { yaml: "bootstrap", env: "SYNOD_BOOTSTRAP" },
  peerRoutes: { yaml: "peer-route", env: "SYNOD_PEER_ROUTE" },
  clusterSecret: { yaml: "cluster-secret", env: "SYNOD_CLUSTER_SECRET" },
  join: { yaml: "join", env: "SYNOD_JOIN" },
  joinToken: { yaml: "join-token", env: "SYNOD_JOIN_TOKEN" },
  adminToken: { yaml: "admin-token", env: "SYNOD_ADMIN_TOKEN" },
  electionTimeoutMs: { yaml: "election-timeout-ms", env: "SYNOD_ELECTION_TIMEOUT_MS" },
  heartbeatMs: { yaml: "heartbeat-ms", env: "SYNOD_HEARTBEAT_MS" },
  advertiseClientUrl: { yaml: "advertise-client-url", env: "SYNOD_ADVERTISE_CLIENT_URL" },
  advertisePeerUrl: { yaml: "advertise-peer-url", env: "SYNOD_ADVERTISE_PEER_URL" },
  enableTestControl: { yaml: "enable-test-control", env: "SYNOD_ENABLE_TEST_CONTROL" },
  testBreaks: { yaml: "test-break", env: "SYNOD_TEST_BREAK" },
};

/** A configuration problem, naming the setting and where it came from. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Raw = string | readonly string[] | number | boolean;

function list(v: Raw): readonly string[] {
  if (typeof v === "number" || typeof v === "boolean") return [String(v)];
  return typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v;
}

const lists = new Set<keyof HubConfig>(["entryTypes", "bootstrap", "peerRoutes", "testBreaks"]);
const booleans = new Set<keyof HubConfig>(["enableTestControl"]);

function flag(v: Raw, what: string): boolean {
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(s)) return true;
  if (["0", "false", "no", "off"].includes(s)) return false;
  throw new ConfigError(`${what} must be true or false (or 1 or 0), got "${String(v)}"`);
}
const minimums: Partial<Record<keyof HubConfig, number>> = { segmentBytes: 4096, electionTimeoutMs: 20, heartbeatMs: 5 };

function coerce<K extends keyof HubConfig>(key: K, v: Raw, source: string): HubConfig[K] {
  if (lists.has(key)) return list(v) as HubConfig[K];
  if (booleans.has(key)) return flag(v, `${source}: ${keys[key].yaml}`) as HubConfig[K];
  const min = minimums[key];
  if (min !== undefined) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${source}: ${keys[key].yaml} must be an integer >= ${min}`);
    return n as HubConfig[K];
  }
  if (typeof v !== "string" && typeof v !== "number") throw new ConfigError(`${source}: ${keys[key].yaml} must be a string`);
  return String(v) as HubConfig[K];
}

/** Reads a YAML config file into inputs keyed like HubConfig. */
export function readConfigFile(path: string): HubConfigInput {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError(`${path}: expected a mapping of settings`);
  const out: Record<string, unknown> = {};
  const known = new Map(Object.entries(keys).map(([k, v]) => [v.yaml, k]));
  for (const [yamlKey, value] of Object.entries(doc)) {
    const key = known.get(yamlKey);
    if (!key) throw new ConfigError(`${path}: unknown setting "${yamlKey}" (known: ${[...known.keys()].join(", ")})`);
    out[key] = value;
  }
  return out as HubConfigInput;
}

/** Merges defaults < file < environment < flags and checks the result. */
export function resolveHubConfig(sources: { file?: HubConfigInput; env?: NodeJS.ProcessEnv; flags?: HubConfigInput }): HubConfig {
  const merged: Record<string, unknown> = { ...hubConfigDefaults };
  for (const key of Object.keys(keys) as (keyof HubConfig)[]) {
    const fromFile = sources.file?.[key];
    const fromEnv = sources.env?.[keys[key].env];
    const fromFlag = sources.flags?.[key];
    if (fromFile !== undefined) merged[key] = coerce(key, fromFile, `config file ${keys[key].yaml}`);
    if (fromEnv !== undefined && fromEnv !== "") merged[key] = coerce(key, fromEnv, keys[key].env);
    if (fromFlag !== undefined) merged[key] = coerce(key, fromFlag, `--${keys[key].yaml}`);
  }
  if (sources.flags?.mode === undefined && sources.env?.SYNOD_MODE === undefined && sources.file?.mode === undefined) {
    merged.mode = (merged.join as string) ? "join" : (merged.bootstrap as string[]).length > 0 ? "bootstrap" : "single";
  }
  const cfg = merged as unknown as HubConfig;
  checkCluster(cfg);
  parseHostPort(cfg.listen, "listen");
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(cfg.nodeId)) throw new ConfigError(`node-id must be 1..64 of [A-Za-z0-9._-]`);
  if (cfg.entryTypes.length === 0) throw new ConfigError("entry-types must list at least one type");
  checkTestBreaks(cfg);
  return cfg;
}

/** Splits `host:port` (IPv6 as `[::1]:9900`). */
export function parseHostPort(addr: string, what: string): { host: string; port: number } {
  const m = addr.match(/^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new ConfigError(`${what} must be host:port, got "${addr}"`);
  return { host: (m[1] ?? m[2]) as string, port };
}

/** `id=host:port` pairs into a map of id → http URL. */
export function parseIdAddresses(items: readonly string[], what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    const m = item.match(/^([A-Za-z0-9._-]{1,64})=(.+)$/);
    if (!m?.[1] || !m[2]) throw new ConfigError(`${what} entries must be id=host:port, got "${item}"`);
    const addr = m[2];
    out.set(m[1], /^https?:\/\//.test(addr) ? addr : (parseHostPort(addr, what), `http://${addr}`));
  }
  return out;
}

/** Broken modes are test fixtures: refused unless test control is on, and only known ones. */
function checkTestBreaks(cfg: HubConfig): void {
  if (cfg.testBreaks.length === 0) return;
  if (!cfg.enableTestControl) {
    throw new ConfigError("SYNOD_TEST_BREAK (deliberately broken modes for conformance tests) requires --enable-test-control; never set it in production");
  }
  const unknown = cfg.testBreaks.filter((b) => !(testBreakNames as readonly string[]).includes(b));
  if (unknown.length > 0) throw new ConfigError(`SYNOD_TEST_BREAK: unknown mode ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${testBreakNames.join(", ")})`);
}

function checkCluster(cfg: HubConfig): void {
  if (!["single", "bootstrap", "join"].includes(cfg.mode)) throw new ConfigError(`mode must be single, bootstrap or join, got "${cfg.mode}"`);
  if (cfg.peerListen) parseHostPort(cfg.peerListen, "peer-listen");
  parseIdAddresses(cfg.peerRoutes, "peer-route");
  if (cfg.mode === "bootstrap") {
    const members = parseIdAddresses(cfg.bootstrap, "bootstrap");
    if (!members.has(cfg.nodeId)) throw new ConfigError(`bootstrap must list this node (${cfg.nodeId}) with its peer address`);
    if (!cfg.clusterSecret) throw new ConfigError("bootstrap mode needs --cluster-secret (or SYNOD_CLUSTER_SECRET), the same on every member");
  }
  if (cfg.mode === "join" && cfg.joinToken && !cfg.join) throw new ConfigError("--join-token needs --join <client URL of a member>");
  if (cfg.heartbeatMs * 2 > cfg.electionTimeoutMs) throw new ConfigError("heartbeat-ms must be at most half of election-timeout-ms");
}
