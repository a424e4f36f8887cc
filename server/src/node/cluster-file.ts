/**
 * `<data-dir>/cluster.json` (mode 0600): the cluster secret and id a node uses
 * for node-to-node calls. Written on first start (single, bootstrap) or after
 * a successful join, so a restart needs no flags beyond the data directory.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** What the file holds. */
export interface ClusterFile {
  readonly clusterId: string;
  readonly clusterSecret: string;
  /** How this node first started: single, bootstrap or join (shown in status after restarts). */
  readonly mode?: string;
}

const fileOf = (dir: string): string => join(dir, "cluster.json");

/** The saved cluster identity, if any. */
export async function readClusterFile(dir: string): Promise<ClusterFile | undefined> {
  const text = await readFile(fileOf(dir), "utf8").catch(() => undefined);
  return text ? (JSON.parse(text) as ClusterFile) : undefined;
}

/** Saves the cluster identity atomically with mode 0600. */
export async function writeClusterFile(dir: string, c: ClusterFile): Promise<void> {
  const tmp = fileOf(dir) + ".tmp";
  await writeFile(tmp, JSON.stringify(c) + "\n", { mode: 0o600 });
  await rename(tmp, fileOf(dir));
}

/** A new random secret or id. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
