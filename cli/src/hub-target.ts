/**
 * How an operator command finds its hub and token: `--url` (or the address
 * a running hub recorded in `--data-dir`), and `--token` / `SYNOD_TOKEN` (or
 * the admin token file in `--data-dir`).
 */
import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { createClient, type SynodClient } from "@synod/sdk/node";
import { dataPaths, readAddress } from "@synod/server";
import { CliError } from "./cli-error.js";
import { toUrl } from "./connection-file.js";

/** Options shared by operator commands that talk to a hub. */
export interface TargetOptions {
  url?: string;
  dataDir?: string;
  token?: string;
  timeout?: string;
}

/** Seconds a CLI call may take, all retries included, unless --timeout says otherwise. */
export const defaultTimeoutSeconds = 10;

/** Parses --timeout (seconds) into ms. */
export function timeoutMs(seconds: string | undefined): number {
  const s = Number(seconds ?? defaultTimeoutSeconds);
  if (!Number.isFinite(s) || s <= 0) throw new CliError(`--timeout must be a positive number of seconds, got "${seconds}"`, 2);
  return s * 1000;
}

/** Adds --url, --data-dir and --token to a command. */
export function withTarget(cmd: Command): Command {
  return cmd
    .addOption(new Option("--url <url>", "client URL or host:port of the hub").env("SYNOD_URL"))
    .addOption(new Option("--data-dir <dir>", "data directory of a local hub (finds its URL and admin token)").env("SYNOD_DATA_DIR"))
    .addOption(new Option("--token <token>", "token to authenticate with (default: <data-dir>/admin.token)").env("SYNOD_TOKEN"))
    .addOption(new Option("--timeout <seconds>", "give up after this long, retries included").default(String(defaultTimeoutSeconds)));
}

/** Resolves the hub URLs and token for an operator command. */
export async function resolveTarget(o: TargetOptions): Promise<{ peers: string[]; token: string }> {
  const dir = o.dataDir ?? "./synod-data";
  let url = o.url ? toUrl(o.url) : await readAddress(dir);
  url ??= "http://127.0.0.1:9900";
  let token = o.token;
  if (!token) {
    token = (await readFile(dataPaths(dir).adminToken, "utf8").catch(() => "")).trim();
    if (!token) throw new CliError(`no token: pass --token, set SYNOD_TOKEN, or point --data-dir at the hub's data directory`, 2);
  }
  return { peers: url.split(",").map(toUrl), token };
}

/** Runs `fn` with a client for the target, closing it afterwards. */
export async function withClient<T>(o: TargetOptions, fn: (c: SynodClient) => Promise<T>): Promise<T> {
  const { peers, token } = await resolveTarget(o);
  const client = createClient({ peers, token, timeoutMs: timeoutMs(o.timeout) });
  try {
    return await fn(client);
  } finally {
    client.close?.();
  }
}
