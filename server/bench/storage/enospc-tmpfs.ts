/**
 * Demonstrates disk-full handling on a real, tiny file system: fills it with
 * a ballast file and appends until ENOSPC, checks that reads still work, frees
 * the ballast and checks that appends resume by themselves and survive a reopen.
 *
 * Needs a small empty mount, e.g. (as root):
 *   mkdir -p /tmp/synod-tiny && mount -t tmpfs -o size=256k tmpfs /tmp/synod-tiny
 *   npx tsx server/bench/storage/enospc-tmpfs.ts /tmp/synod-tiny
 *   umount /tmp/synod-tiny
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { raftIndex, seq, term, type LogRecord } from "../../src/raft/types.js";
import { StorageError } from "../../src/storage/errors.js";
import { LogStore } from "../../src/storage/log-store.js";

const BALLAST_BYTES = 150 * 1024;
const SEGMENT_BYTES = 64 * 1024;

function record(n: number): LogRecord {
  const entry = { id: `id-${n}`, type: "decision", content: "y".repeat(300), meta: {}, createdAtMs: 0 };
  return { index: raftIndex(n), term: term(1), payload: { kind: "entry", entry: { ...entry, seq: seq(n), origin: "a", term: term(1), committedAtMs: 0 } } };
}

async function main(mount: string): Promise<void> {
  const dir = join(mount, "data");
  const ballast = join(mount, "ballast");
  await writeFile(ballast, Buffer.alloc(BALLAST_BYTES));
  const store = await LogStore.open(dir, { segmentBytesMax: SEGMENT_BYTES });
  let next = 1;
  let failure: unknown;
  while (failure === undefined) {
    await store.append([record(next), record(next + 1)]).then(() => (next += 2), (e: unknown) => (failure = e));
  }
  const kind = failure instanceof StorageError ? failure.kind : String(failure);
  console.log(`append failed at index ${next}: kind=${kind} state=${store.state} lastIndex=${store.lastIndex}`);
  console.log(`last record still readable: ${(await store.readRecords(store.lastIndex, 1, 1 << 20))[0]?.index}`);
  await rm(ballast);
  await store.append([record(next), record(next + 1)]);
  console.log(`after freeing space: state=${store.state} lastIndex=${store.lastIndex}`);
  await store.close();
  const reopened = await LogStore.open(dir, { segmentBytesMax: SEGMENT_BYTES });
  console.log(`reopened: lastIndex=${reopened.lastIndex}`);
  await reopened.close();
  await rm(dir, { recursive: true, force: true });
}

await main(process.argv[2] ?? "/tmp/synod-tiny");
