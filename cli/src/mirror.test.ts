import { afterEach, expect, it } from "vitest";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Mirror, type MirrorLine } from "./mirror.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function project(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "synod-mirror-"));
  dirs.push(d);
  return d;
}
const line = (seq: number): MirrorLine => ({ seq: String(seq), id: `id${seq}`, type: "task", origin: "o", content: `c${seq}`, meta: {}, createdAt: "", committedAt: "" });
const seqs = async (p: string) => (await readFile(join(p, ".synod", "entries.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => (JSON.parse(l) as MirrorLine).seq);

it("writes each entry once and skips what the cursor already covers", async () => {
  const p = await project();
  const m = await Mirror.open(p);
  expect(await m.write([line(1), line(2)], 2n)).toBe(2);
  expect(await m.write([line(2), line(3)], 3n)).toBe(1);
  await m.close();
  expect(await seqs(p)).toEqual(["1", "2", "3"]);
});

it("after a crash between writing entries and saving the cursor, resumes after the last written entry", async () => {
  const p = await project();
  const m = await Mirror.open(p);
  await m.write([line(1)], 1n);
  await m.close();
  // Entries 2 and 3 reached the file, the cursor file still says 1, and a torn half line follows.
  await appendFile(join(p, ".synod", "entries.jsonl"), JSON.stringify(line(2)) + "\n" + JSON.stringify(line(3)) + "\n" + '{"seq":"4","id');
  const again = await Mirror.open(p);
  expect(again.cursor).toBe(3n);
  await again.write([line(2), line(3), line(4)], 4n);
  await again.close();
  expect(await seqs(p)).toEqual(["1", "2", "3", "4"]);
});

it("keeps a cursor ahead of the last line when a subscription filtered entries out", async () => {
  const p = await project();
  const m = await Mirror.open(p);
  await m.write([line(1)], 10n);
  await m.close();
  const reopened = await Mirror.open(p);
  expect(reopened.cursor).toBe(10n);
  await reopened.close();
  await writeFile(join(p, ".synod", "cursor.json"), JSON.stringify({ afterSeq: "0" }));
  const older = await Mirror.open(p);
  expect(older.cursor, "the file's last line wins over an older cursor").toBe(1n);
  await older.close();
});
