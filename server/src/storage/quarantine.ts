/**
 * Moves a bad segment, and every later one, out of the log into
 * `<dataDir>/quarantine/<timestamp>/` so the node can start with the log up to
 * the damage (backs `synod hub quarantine --data-dir <dir> --file <segment>`).
 * When the bad record is in the middle of the segment, the segment is cut at
 * that offset and the cut tail is kept in quarantine as `<segment>.tail-at-<offset>`.
 */
import { basename, join } from "node:path";
import { CorruptLogError, errorCode } from "./errors.js";
import { sortSegmentNames } from "./segment.js";
import { scanSegment } from "./segment-scan.js";
import { nodeStorageFs, readFully, writeFully, type StorageFs } from "./storage-fs.js";

/** What {@link quarantineSegment} did. */
export interface QuarantineReport {
  /** Directory the files went to. */
  readonly quarantineDir: string;
  /** Whole segment files moved there (names). */
  readonly movedFiles: readonly string[];
  /** When the named segment was cut rather than moved: where, and the file holding the tail. */
  readonly cut?: { readonly file: string; readonly offsetBytes: number; readonly tailFile: string };
}

/** Options of {@link quarantineSegment}. */
export interface QuarantineOptions {
  readonly fs?: StorageFs;
  /** Clock for the directory name (Unix ms); defaults to `Date.now`. */
  readonly nowMs?: () => number;
}

/**
 * Quarantines segment `file` (a name or path inside `<dataDir>/log`) and every
 * later segment. The log must not be open. Throws when the segment does not exist.
 */
export async function quarantineSegment(dataDir: string, file: string, options: QuarantineOptions = {}): Promise<QuarantineReport> {
  const fs = options.fs ?? nodeStorageFs;
  const logDir = join(dataDir, "log");
  const name = basename(file);
  const names = sortSegmentNames(await fs.readdir(logDir));
  const at = names.indexOf(name);
  if (at === -1) throw new Error(`no segment ${name} in ${logDir}`);
  const stamp = new Date((options.nowMs ?? Date.now)()).toISOString().replace(/[:.]/g, "-");
  const quarantineDir = join(dataDir, "quarantine", stamp);
  await fs.mkdir(quarantineDir);
  const later = names.slice(at + 1).reverse();
  for (const n of later) await fs.rename(join(logDir, n), join(quarantineDir, n));
  const badOffset = await firstBadOffset(fs, join(logDir, name));
  if (badOffset === undefined || badOffset === 0) {
    await fs.rename(join(logDir, name), join(quarantineDir, name));
    await syncBoth(fs, logDir, quarantineDir);
    return { quarantineDir, movedFiles: [name, ...later.reverse()] };
  }
  const tailFile = `${name}.tail-at-${badOffset}`;
  await moveTail(fs, join(logDir, name), badOffset, join(quarantineDir, tailFile));
  await syncBoth(fs, logDir, quarantineDir);
  return { quarantineDir, movedFiles: later.reverse(), cut: { file: name, offsetBytes: badOffset, tailFile } };
}

async function firstBadOffset(fs: StorageFs, path: string): Promise<number | undefined> {
  const file = await fs.open(path, "read");
  try {
    return (await scanSegment(file, () => undefined)).problem?.offsetBytes;
  } finally {
    await file.close();
  }
}

/** Copies `path[offset..]` to `tailPath` (durably), then cuts `path` at `offset`. */
async function moveTail(fs: StorageFs, path: string, offsetBytes: number, tailPath: string): Promise<void> {
  const source = await fs.open(path, "update");
  try {
    const size = await source.sizeBytes();
    const tail = Buffer.allocUnsafe(size - offsetBytes);
    if ((await readFully(source, tail, 0, tail.length, offsetBytes)) !== tail.length) {
      throw new CorruptLogError(path, offsetBytes, "segment shrank while being quarantined");
    }
    const target = await fs.open(tailPath, "create");
    try {
      await writeFully(target, tail, 0);
      await target.sync();
    } finally {
      await target.close();
    }
    await source.truncate(offsetBytes);
    await source.sync();
  } finally {
    await source.close();
  }
}

async function syncBoth(fs: StorageFs, logDir: string, quarantineDir: string): Promise<void> {
  await fs.syncDir(quarantineDir);
  await fs.syncDir(logDir);
  await fs.syncDir(join(quarantineDir, "..")).catch((e: unknown) => {
    if (errorCode(e) !== "ENOENT") throw e;
  });
}
