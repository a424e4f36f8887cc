/**
 * Raft's hard state (thesis §3.8: term and vote must be durable before the
 * node acts on them), in `<dataDir>/raft-state.json`, replaced atomically:
 * write a temp file, fsync it, rename it over the old one, fsync the directory.
 *
 * Format: `{"version":1,"term":"<decimal>","vote":"<node id>"|null,"commit":"<decimal>"}`
 * (`commit` optional).
 */
import { join } from "node:path";
import type { NodeId, RaftIndex, Term } from "../raft/types.js";
import { CorruptLogError, errorCode, StorageError } from "./errors.js";
import { readFully, writeFully, type StorageFs } from "./storage-fs.js";

/** File name of the hard state inside the data directory. */
export const HARD_STATE_FILE = "raft-state.json";
const HARD_STATE_BYTES_MAX = 64 * 1024;

/** Raft's persistent state besides the log. */
export interface HardState {
  readonly term: Term;
  /** The candidate voted for in `term`, if any. */
  readonly vote: NodeId | undefined;
  /** Highest index known committed (optional; it can always be relearned). */
  readonly commit?: RaftIndex;
}

/**
 * Writes `state` atomically. Throws {@link StorageError}: kind `full`/`io` when
 * the write fails (the old state is intact), `poisoned` when an fsync fails.
 */
export async function saveHardState(fs: StorageFs, dataDir: string, state: HardState): Promise<void> {
  const path = join(dataDir, HARD_STATE_FILE);
  const tmp = `${path}.tmp`;
  const body = JSON.stringify({
    version: 1,
    term: state.term.toString(),
    vote: state.vote ?? null,
    ...(state.commit === undefined ? {} : { commit: state.commit.toString() }),
  });
  const file = await fs.open(tmp, "create").catch((e: unknown) => Promise.reject(StorageError.fromWrite(`create ${tmp}`, e)));
  try {
    await writeFully(file, Buffer.from(`${body}\n`, "utf8"), 0).catch((e: unknown) => Promise.reject(StorageError.fromWrite(`write ${tmp}`, e)));
    await file.sync().catch((e: unknown) => Promise.reject(StorageError.fromSync(`fsync of ${tmp}`, e)));
  } finally {
    await file.close();
  }
  await fs.rename(tmp, path).catch((e: unknown) => Promise.reject(StorageError.fromWrite(`rename ${tmp}`, e)));
  await fs.syncDir(dataDir).catch((e: unknown) => Promise.reject(StorageError.fromSync(`fsync of ${dataDir}`, e)));
}

/** Reads the hard state; undefined when none was ever saved. Throws {@link CorruptLogError} when unreadable. */
export async function loadHardState(fs: StorageFs, dataDir: string): Promise<HardState | undefined> {
  const path = join(dataDir, HARD_STATE_FILE);
  let text: string;
  try {
    const file = await fs.open(path, "read");
    try {
      const buf = Buffer.alloc(HARD_STATE_BYTES_MAX);
      text = buf.toString("utf8", 0, await readFully(file, buf, 0, buf.length, 0));
    } finally {
      await file.close();
    }
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
  return parseHardState(path, text);
}

function parseHardState(path: string, text: string): HardState {
  let raw: { version?: unknown; term?: unknown; vote?: unknown; commit?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw new CorruptLogError(path, 0, "unparseable hard state");
  }
  const decimal = (v: unknown): v is string => typeof v === "string" && /^(0|[1-9][0-9]*)$/.test(v);
  const voteOk = raw.vote === null || typeof raw.vote === "string";
  if (raw.version !== 1 || !decimal(raw.term) || !voteOk || (raw.commit !== undefined && !decimal(raw.commit))) {
    throw new CorruptLogError(path, 0, "hard state has the wrong shape");
  }
  const state = { term: BigInt(raw.term) as Term, vote: (raw.vote as string | null) ?? undefined };
  return decimal(raw.commit) ? { ...state, commit: BigInt(raw.commit) as RaftIndex } : state;
}
