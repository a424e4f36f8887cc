import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { adminToken, cleanupProcesses, runSynod, spawnHub, synodBin, tempDir, track } from "./process-harness.js";

afterEach(cleanupProcesses);

async function mirrorSeqs(project: string): Promise<string[]> {
  const text = await readFile(join(project, ".synod", "entries.jsonl"), "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { seq: string }).seq);
}

async function setup() {
  const hub = await spawnHub(await tempDir());
  const token = await adminToken(hub.dataDir);
  const project = await tempDir();
  const addr = hub.url.replace("http://", "");
  const reg = await runSynod(["connection", "register", addr, "--token", token, "--name", "proj"], { cwd: project });
  expect(reg.code, reg.stderr).toBe(0);
  return { hub, token, project, addr };
}

describe("synod connection", () => {
  it("register saves a client token (not the admin one) with mode 0600", async () => {
    const { project, token, addr } = await setup();
    const file = join(project, ".synod", "connection.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const conn = JSON.parse(await readFile(file, "utf8")) as { token: string; peers: string[]; name: string };
    expect(conn.token).toMatch(/^synod_cli_/);
    expect(conn.token).not.toBe(token);
    expect(conn.peers).toEqual([`http://${addr}`]);
    expect(conn.name).toBe("proj");
  });

  it("publish from arguments and stdin; the same --id twice adds one entry; origin is the project name", async () => {
    const { project } = await setup();
    const a = await runSynod(["connection", "publish", "--type", "decision", "--meta", "area=storage", "Use", "JSON", "lines"], { cwd: project });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/published seq 1 id \S+/);
    const b = await runSynod(["connection", "publish", "--type", "learning", "--id", "fixed-1"], { cwd: project, input: "from stdin\nsecond line\n" });
    expect(b.stdout).toContain("published seq 2 id fixed-1");
    const c = await runSynod(["connection", "publish", "--type", "learning", "--id", "fixed-1", "again"], { cwd: project });
    expect(c.stdout).toContain("already published seq 2 id fixed-1");
    await runSynod(["connection", "sync"], { cwd: project });
    const lines = (await readFile(join(project, ".synod", "entries.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { seq: "1", type: "decision", content: "Use JSON lines", origin: "proj", meta: { area: "storage" } },
      { seq: "2", type: "learning", content: "from stdin\nsecond line", origin: "proj" },
    ]);
  });

  it("reports bad input clearly", async () => {
    const { project } = await setup();
    const badType = await runSynod(["connection", "publish", "--type", "gossip", "x"], { cwd: project });
    expect(badType.code).toBe(1);
    expect(badType.stderr).toContain("entries[0].type");
    const badMeta = await runSynod(["connection", "publish", "--type", "task", "--meta", "novalue", "x"], { cwd: project });
    expect(badMeta.code).toBe(2);
    const nowhere = await runSynod(["connection", "status"], { cwd: await tempDir() });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain("synod connection register");
  });

  it("sync copies new entries once; subscribe filters by type; status shows how far the mirror is", async () => {
    const { project } = await setup();
    for (const t of ["decision", "task", "decision"]) await runSynod(["connection", "publish", "--type", t, `a ${t}`], { cwd: project });
    const first = await runSynod(["connection", "sync"], { cwd: project });
    expect(first.stdout).toContain("synced 3 new entries; cursor at seq 3");
    const second = await runSynod(["connection", "sync"], { cwd: project });
    expect(second.stdout).toContain("synced 0 new entries; cursor at seq 3");
    const sub = await runSynod(["connection", "subscribe", "task"], { cwd: project });
    expect(sub.stdout).toContain("types: task");
    await runSynod(["connection", "publish", "--type", "decision", "skipped"], { cwd: project });
    await runSynod(["connection", "publish", "--type", "task", "kept"], { cwd: project });
    const third = await runSynod(["connection", "sync"], { cwd: project });
    expect(third.stdout).toContain("synced 1 new entry; cursor at seq 5");
    expect(await mirrorSeqs(project)).toEqual(["1", "2", "3", "5"]);
    const status = await runSynod(["connection", "status"], { cwd: project });
    expect(status.stdout).toContain("mirror: synced through seq 5 of 5");
  });

  it("listen follows live and, stopped and restarted at any point, never writes an entry twice", async () => {
    const { project } = await setup();
    await runSynod(["connection", "publish", "--type", "task", "before"], { cwd: project });
    const listen = track(spawn(process.execPath, [synodBin, "connection", "listen"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] }));
    let out = "";
    const seen = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if ((out.match(/^#\d+ /gm) ?? []).length >= n) resolve();
        };
        listen.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          check();
        });
        listen.once("exit", () => reject(new Error("listen exited")));
        check();
      });
    await seen(1);
    await runSynod(["connection", "publish", "--type", "task", "live one"], { cwd: project });
    await seen(2);
    expect(out).toMatch(/#2 \[task\] proj: live one/);
    listen.kill("SIGKILL");
    await new Promise((r) => listen.once("exit", r));
    for (let i = 0; i < 3; i++) await runSynod(["connection", "publish", "--type", "task", `while down ${i}`], { cwd: project });
    // A bounded listen: SIGINT after it has caught up.
    const again = track(spawn(process.execPath, [synodBin, "connection", "listen", "--json"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] }));
    let out2 = "";
    await new Promise<void>((resolve) => {
      again.stdout.on("data", (d: Buffer) => {
        out2 += d.toString();
        if (out2.split("\n").filter(Boolean).length >= 3) resolve();
      });
    });
    again.kill("SIGINT");
    expect(await new Promise((r) => again.once("exit", (code) => r(code)))).toBe(0);
    expect(await mirrorSeqs(project)).toEqual(["1", "2", "3", "4", "5"]);
  });
});
