/**
 * A project's connection to a hub: peers, the client token and the
 * subscription, in `<project>/.synod/connection.json` (mode 0600, since it
 * holds a secret). The local mirror lives beside it.
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CliError } from "./cli-error.js";

/** What `synod connection register` saves. */
export interface Connection {
  /** Client URLs of the hub nodes, the registered address first. */
  readonly peers: readonly string[];
  /** The client token (`synod_cli_…`) this project writes with. */
  readonly token: string;
  /** The client name the hub stamps as origin. */
  readonly name: string;
  /** Entry types to receive (all when empty). */
  readonly types: readonly string[];
  /** Origins to receive (all when empty). */
  readonly origins: readonly string[];
}

/** The folder that holds a project's connection and mirror. */
export function synodDir(projectDir: string): string {
  return join(projectDir, ".synod");
}

/** Path of the connection file. */
export function connectionPath(projectDir: string): string {
  return join(synodDir(projectDir), "connection.json");
}

/** Writes the connection atomically with mode 0600. */
export async function saveConnection(projectDir: string, c: Connection): Promise<string> {
  await mkdir(synodDir(projectDir), { recursive: true, mode: 0o700 });
  const path = connectionPath(projectDir);
  const tmp = path + ".tmp";
  await writeFile(tmp, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  return path;
}

/** Reads the connection, with a clear error when there is none. */
export async function loadConnection(projectDir: string): Promise<Connection> {
  const path = connectionPath(projectDir);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliError(`no connection in ${projectDir}: run \`synod connection register <host:port> --token <token>\` first`);
  }
  const c = JSON.parse(text) as Partial<Connection>;
  if (!Array.isArray(c.peers) || typeof c.token !== "string") throw new CliError(`${path} is not a valid connection file`);
  return { peers: c.peers, token: c.token, name: c.name ?? "", types: c.types ?? [], origins: c.origins ?? [] };
}

/** `host:port` or a URL → a URL (http:// when no scheme is given). */
export function toUrl(addr: string): string {
  const a = addr.trim();
  if (/^https?:\/\//.test(a)) return a.replace(/\/+$/, "");
  if (!/^(\[[^\]]+\]|[^:/\s]+):\d{1,5}$/.test(a)) throw new CliError(`"${addr}" is not host:port or a URL`, 2);
  return `http://${a}`;
}
