/**
 * Hub configuration from a YAML file, `SYNOD_*` environment variables and
 * command-line flags; flags win over the environment, which wins over the file.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
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
}

/** The settings as they may appear in any source (all strings or lists). */
export type HubConfigInput = Partial<Record<keyof HubConfig, string | readonly string[] | number>>;

/** Defaults for anything no source sets. */
export const hubConfigDefaults: HubConfig = {
  dataDir: "./synod-data",
  listen: "127.0.0.1:9900",
  nodeId: "n1",
  entryTypes: defaultEntryTypes,
  segmentBytes: 64 * 1024 * 1024,
};

const keys: Record<keyof HubConfig, { yaml: string; env: string }> = {
  dataDir: { yaml: "data-dir", env: "SYNOD_DATA_DIR" },
  listen: { yaml: "listen", env: "SYNOD_LISTEN" },
  nodeId: { yaml: "node-id", env: "SYNOD_NODE_ID" },
  entryTypes: { yaml: "entry-types", env: "SYNOD_ENTRY_TYPES" },
  segmentBytes: { yaml: "segment-bytes", env: "SYNOD_SEGMENT_BYTES" },
};

/** A configuration problem, naming the setting and where it came from. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function list(v: string | readonly string[] | number): readonly string[] {
  if (typeof v === "number") return [String(v)];
  return typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v;
}

function coerce<K extends keyof HubConfig>(key: K, v: string | readonly string[] | number, source: string): HubConfig[K] {
  if (key === "entryTypes") return list(v) as HubConfig[K];
  if (key === "segmentBytes") {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 4096) throw new ConfigError(`${source}: segment-bytes must be an integer >= 4096`);
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
  const cfg = merged as unknown as HubConfig;
  parseHostPort(cfg.listen, "listen");
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(cfg.nodeId)) throw new ConfigError(`node-id must be 1..64 of [A-Za-z0-9._-]`);
  if (cfg.entryTypes.length === 0) throw new ConfigError("entry-types must list at least one type");
  return cfg;
}

/** Splits `host:port` (IPv6 as `[::1]:9900`). */
export function parseHostPort(addr: string, what: string): { host: string; port: number } {
  const m = addr.match(/^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new ConfigError(`${what} must be host:port, got "${addr}"`);
  return { host: (m[1] ?? m[2]) as string, port };
}
