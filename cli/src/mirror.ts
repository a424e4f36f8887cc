/**
 * The local mirror of a project: `.synod/entries.jsonl`, one committed entry
 * per line in seq order, and `.synod/cursor.json`, how far the hub's log has
 * been covered (it can run ahead of the last line when a subscription filters
 * entries out). Entries are written and synced before the cursor moves, and on
 * open the cursor is the larger of the saved one and the last line's seq, so a
 * crash at any point never writes an entry twice.
 */
import { open, readFile, rename, stat, truncate, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import { synodDir } from "./connection-file.js";

/** An entry as the mirror stores it (the wire entry with seq as a string). */
export interface MirrorLine {
  readonly seq: string;
  readonly id: string;
  readonly type: string;
  readonly origin: string;
  readonly content: string;
  readonly meta: Record<string, string>;
  readonly createdAt: string;
  readonly committedAt: string;
}

/** Reads the last complete line of a file and cuts a torn tail. */
async function lastCompleteSeq(path: string): Promise<bigint> {
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size <= 0) return 0n;
  const text = await readFile(path, "utf8");
  const end = text.lastIndexOf("\n");
  if (end + 1 !== text.length) await truncate(path, Buffer.byteLength(text.slice(0, end + 1)));
  const body = text.slice(0, end);
  const line = body.slice(body.lastIndexOf("\n") + 1);
  return line ? BigInt((JSON.parse(line) as MirrorLine).seq) : 0n;
}

/** An open mirror. */
export class Mirror {
  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private cursorValue: bigint,
  ) {}

  /** Opens (or creates) the mirror of a project. */
  static async open(projectDir: string): Promise<Mirror> {
    const dir = synodDir(projectDir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const entries = join(dir, "entries.jsonl");
    const fromLines = await lastCompleteSeq(entries);
    const saved = await readFile(join(dir, "cursor.json"), "utf8").then((t) => BigInt((JSON.parse(t) as { afterSeq: string }).afterSeq), () => 0n);
    const fh = await open(entries, "a", 0o600);
    return new Mirror(dir, fh, saved > fromLines ? saved : fromLines);
  }

  /** Every entry with seq <= cursor is in the mirror (or was filtered out). */
  get cursor(): bigint {
    return this.cursorValue;
  }

  /**
   * Appends the entries of a covered range (after the cursor) and moves the
   * cursor to `throughSeq`. Entries at or below the cursor are skipped.
   */
  async write(lines: readonly MirrorLine[], throughSeq: bigint): Promise<number> {
    const fresh = lines.filter((l) => BigInt(l.seq) > this.cursorValue);
    if (fresh.length > 0) {
      await this.fh.appendFile(fresh.map((l) => JSON.stringify(l) + "\n").join(""));
      await this.fh.sync();
    }
    if (throughSeq > this.cursorValue) {
      this.cursorValue = throughSeq;
      const tmp = join(this.dir, "cursor.json.tmp");
      await writeFile(tmp, JSON.stringify({ afterSeq: String(throughSeq) }) + "\n", { mode: 0o600 });
      await rename(tmp, join(this.dir, "cursor.json"));
    }
    return fresh.length;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.fh.close();
  }
}
