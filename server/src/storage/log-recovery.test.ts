import { cp, readdir, readFile, rename, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { raftIndex, type LogRecord } from "../raft/types.js";
import { CorruptLogError } from "./errors.js";
import { LogStore } from "./log-store.js";
import { quarantineSegment } from "./quarantine.js";
import { encodeRecordLine } from "./record-codec.js";
import { RecordBuilder, TempDirs, warnings } from "./test-fixtures.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const SEGMENT_BYTES = 1200;

async function writeLog(n: number): Promise<{ dir: string; records: LogRecord[]; segments: string[] }> {
  const dir = await dirs.make();
  const store = await LogStore.open(dir, { log: warnings(), segmentBytesMax: SEGMENT_BYTES });
  const b = new RecordBuilder();
  const records = [b.noop(), ...b.entries(n - 1)];
  await store.append(records);
  await store.close();
  const segments = (await readdir(join(dir, "log"))).sort();
  return { dir, records, segments };
}

async function openOrError(dir: string, log = warnings()): Promise<LogStore | Error> {
  try {
    return await LogStore.open(dir, { log, segmentBytesMax: SEGMENT_BYTES });
  } catch (error) {
    return error as Error;
  }
}

describe("recovery of a torn tail", () => {
  it("keeps every complete record for a cut at every byte offset of the last segment", async () => {
    const { dir, records, segments } = await writeLog(24);
    const lastName = segments.at(-1)!;
    const lastFirst = Number(lastName.slice(0, 20));
    const lineEnds: number[] = [];
    let end = 0;
    for (const r of records.slice(lastFirst - 1)) lineEnds.push((end += encodeRecordLine(r).length));
    const size = (await stat(join(dir, "log", lastName))).size;
    expect(end).toBe(size);
    const copy = await dirs.make();
    for (let cut = 0; cut <= size; cut++) {
      await cp(dir, join(copy, `${cut}`), { recursive: true });
      const target = join(copy, `${cut}`);
      await truncate(join(target, "log", lastName), cut);
      const log = warnings();
      const store = await LogStore.open(target, { log, segmentBytesMax: SEGMENT_BYTES });
      const complete = lineEnds.filter((e) => e <= cut).length;
      const expectedLast = lastFirst - 1 + complete;
      expect(store.lastIndex).toBe(BigInt(expectedLast));
      expect(log.messages.length).toBe(lineEnds.includes(cut) || cut === 0 ? 0 : 1);
      expect(await store.readRecords(raftIndex(1), 1000, 1 << 20)).toEqual(records.slice(0, expectedLast));
      const next = new RecordBuilder().resume(BigInt(expectedLast), BigInt(expectedLast - 1)).entry();
      await store.append([next]);
      expect(await store.readRecords(raftIndex(expectedLast + 1), 1, 1 << 20)).toEqual([next]);
      await store.close();
    }
  });

  it("names file, offset and dropped bytes in the warning for a bad checksum on the last line", async () => {
    const { dir, segments } = await writeLog(10);
    const path = join(dir, "log", segments.at(-1)!);
    const bytes = await readFile(path);
    const lastLineStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    await writeFile(path, bytes);
    const log = warnings();
    const store = await LogStore.open(dir, { log, segmentBytesMax: SEGMENT_BYTES });
    expect(log.messages[0]).toContain(path);
    expect(log.messages[0]).toContain(`byte offset ${lastLineStart}`);
    expect(log.messages[0]).toContain(`${bytes.length - lastLineStart} bytes dropped`);
    expect(store.lastIndex).toBe(9n);
    await store.close();
  });
});

describe("corruption", () => {
  it("refuses to open on a flipped byte mid-file, naming file, offset and the quarantine command", async () => {
    const { dir, segments } = await writeLog(30);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const bad = segments[1]!;
    const path = join(dir, "log", bad);
    const bytes = await readFile(path);
    const secondLine = bytes.indexOf(0x0a) + 1;
    const flip = bytes.indexOf(0x0a, secondLine) - 3;
    bytes[flip] = bytes[flip]! ^ 0x04;
    await writeFile(path, bytes);
    const error = await openOrError(dir);
    expect(error).toBeInstanceOf(CorruptLogError);
    const corrupt = error as CorruptLogError;
    expect(corrupt.file).toBe(path);
    expect(corrupt.offsetBytes).toBe(secondLine);
    expect(corrupt.message).toContain(path);
    expect(corrupt.message).toContain(`byte offset ${secondLine}`);
    expect(corrupt.message).toContain(`synod hub quarantine --data-dir ${dir} --file ${bad}`);
  });

  it("refuses a bad line that is not the last of the last segment", async () => {
    const { dir, segments } = await writeLog(10);
    const path = join(dir, "log", segments.at(-1)!);
    const bytes = await readFile(path);
    bytes[20] = bytes[20]! ^ 0x01;
    await writeFile(path, bytes);
    expect(await openOrError(dir)).toBeInstanceOf(CorruptLogError);
  });

  it("refuses a torn line at the end of a segment that is not the last", async () => {
    const { dir, segments } = await writeLog(30);
    const path = join(dir, "log", segments[0]!);
    await truncate(path, (await stat(path)).size - 4);
    const error = await openOrError(dir);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as CorruptLogError).file).toBe(path);
  });

  it("refuses an index discontinuity between segments", async () => {
    const { dir, segments } = await writeLog(30);
    await rename(join(dir, "log", segments[1]!), join(dir, "quarantined-by-hand"));
    const error = await openOrError(dir);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as CorruptLogError).message).toContain("discontinuity");
    expect((error as CorruptLogError).message).toContain(`--file ${segments[2]}`);
  });

  it("opens after quarantining a segment cut mid-way, keeping the tail and later segments aside", async () => {
    const { dir, records, segments } = await writeLog(30);
    const bad = segments[1]!;
    const path = join(dir, "log", bad);
    const bytes = await readFile(path);
    const thirdLine = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
    bytes[thirdLine + 30] = bytes[thirdLine + 30]! ^ 0x10;
    await writeFile(path, bytes);
    const error = await openOrError(dir);
    expect(error).toBeInstanceOf(CorruptLogError);

    const report = await quarantineSegment(dir, (error as CorruptLogError).file, { nowMs: () => 0 });
    expect(report.cut).toEqual({ file: bad, offsetBytes: thirdLine, tailFile: `${bad}.tail-at-${thirdLine}` });
    expect(report.movedFiles).toEqual(segments.slice(2));
    const aside = await readdir(report.quarantineDir);
    expect(aside.sort()).toEqual([...segments.slice(2), `${bad}.tail-at-${thirdLine}`].sort());
    const tail = await readFile(join(report.quarantineDir, `${bad}.tail-at-${thirdLine}`));
    expect(tail.equals(bytes.subarray(thirdLine))).toBe(true);

    const store = await openOrError(dir);
    expect(store).toBeInstanceOf(LogStore);
    const opened = store as LogStore;
    const keptLast = Number(bad.slice(0, 20)) + 1;
    expect(opened.lastIndex).toBe(BigInt(keptLast));
    expect(await opened.readRecords(raftIndex(1), 1000, 1 << 20)).toEqual(records.slice(0, keptLast));
    await opened.close();
  });

  it("quarantines a whole segment when its first line is bad", async () => {
    const { dir, segments } = await writeLog(30);
    const path = join(dir, "log", segments[1]!);
    const bytes = await readFile(path);
    bytes[12] = bytes[12]! ^ 0x01;
    await writeFile(path, bytes);
    const report = await quarantineSegment(dir, segments[1]!, { nowMs: () => 0 });
    expect(report.cut).toBeUndefined();
    expect(report.movedFiles).toEqual(segments.slice(1));
    const store = (await openOrError(dir)) as LogStore;
    expect(store.lastIndex).toBe(BigInt(Number(segments[1]!.slice(0, 20)) - 1));
    await store.close();
  });
});
