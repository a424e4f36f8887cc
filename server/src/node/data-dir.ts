/**
 * The data directory: who owns it (a pid lock so two processes never share
 * one), which node it belongs to, and the admin token file.
 */
import { constants } from "node:fs";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Raised when the data directory cannot be used as asked. */
export class DataDirError extends Error {
  override readonly name = "DataDirError";
}

/** Paths inside a data directory. */
export function dataPaths(dir: string) {
  return {
    pid: join(dir, "synod.pid"),
    node: join(dir, "node.json"),
    adminToken: join(dir, "admin.token"),
    address: join(dir, "address.json"),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of the hub running on `dir`, if any. */
export async function runningPid(dir: string): Promise<number | undefined> {
  const text = await readFile(dataPaths(dir).pid, "utf8").catch(() => "");
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/**
 * Takes the directory for this process: creates it, writes the pid file, and
 * checks that it belongs to `nodeId`. Returns a release function.
 */
export async function lockDataDir(dir: string, nodeId: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = dataPaths(dir);
  const other = await runningPid(dir);
  if (other !== undefined && other !== process.pid) {
    throw new DataDirError(`data directory ${dir} is in use by process ${other}; stop it first (synod hub stop --data-dir ${dir})`);
  }
  await writeFile(paths.pid, `${process.pid}\n`, { mode: 0o600 });
  const existing = await readFile(paths.node, "utf8").catch(() => undefined);
  if (existing === undefined) {
    await writeFile(paths.node, JSON.stringify({ nodeId }) + "\n", { mode: 0o600 });
  } else {
    const owner = (JSON.parse(existing) as { nodeId?: string }).nodeId;
    if (owner !== nodeId) {
      throw new DataDirError(`data directory ${dir} belongs to node "${owner}", not "${nodeId}"; pass --node-id ${owner} or use another directory`);
    }
  }
  return async () => {
    await rm(paths.pid, { force: true });
    await rm(paths.address, { force: true });
  };
}

/** Writes the admin token with mode 0600; fails if the file already exists. */
export async function writeAdminToken(dir: string, secret: string): Promise<void> {
  const fh = await open(dataPaths(dir).adminToken, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await fh.writeFile(secret + "\n");
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Records where the hub listens, so `synod hub status/stop --data-dir` can find it. */
export async function writeAddress(dir: string, clientUrl: string): Promise<void> {
  await writeFile(dataPaths(dir).address, JSON.stringify({ clientUrl, pid: process.pid }) + "\n", { mode: 0o600 });
}

/** Reads the client URL a running hub recorded, if any. */
export async function readAddress(dir: string): Promise<string | undefined> {
  const text = await readFile(dataPaths(dir).address, "utf8").catch(() => undefined);
  return text ? (JSON.parse(text) as { clientUrl: string }).clientUrl : undefined;
}
