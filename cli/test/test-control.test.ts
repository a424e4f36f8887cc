/**
 * The test-only ControlService on a real hub process: fail points do what the
 * conformance suite relies on (docs/protocol.md, "ControlService"), and a hub
 * started without --enable-test-control exposes none of it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { ControlService } from "@synod/proto/control";
import { BadRequestSchema, NotLeaderSchema } from "@synod/proto/errors";
import type { HubService } from "@synod/proto/hub";
import { controlClient } from "./control-client.js";
import { hubClient, readAll } from "./hub-client.js";
import { adminToken, cleanupProcesses, runSynod, spawnHub, tempDir, type HubProcess } from "./process-harness.js";

const failPointNames = ["append.before-propose", "append.after-commit", "listen.before-send", "read.before-reply"];

/** The error a call failed with, or undefined if it succeeded. */
async function failure(p: Promise<unknown>): Promise<ConnectError | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
}

const entry = (id: string) => ({ id, type: "task", content: `entry ${id}` });

describe("with --enable-test-control", () => {
  let hub: HubProcess;
  let token: string;
  let hubc: Client<typeof HubService>;
  let control: Client<typeof ControlService>;

  beforeAll(async () => {
    const dir = await tempDir();
    hub = await spawnHub(dir, ["--enable-test-control"]);
    token = await adminToken(dir);
    hubc = hubClient(hub.url, token);
    control = controlClient(hub.url, token);
  });
  afterAll(cleanupProcesses);
  afterEach(async () => {
    for (const name of failPointNames) await control.setFailPoint({ failPoint: { name, action: "off" } });
  });

  it("append.before-propose error: the Append fails with unavailable (no NotLeader hint) and has no effect", async () => {
    await control.setFailPoint({ failPoint: { name: "append.before-propose", action: "error" } });
    const err = await failure(hubc.append({ entries: [entry("bp-1")] }));
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.rawMessage).toBe("fail point append.before-propose");
    expect(err?.findDetails(NotLeaderSchema)).toEqual([]);
    await control.setFailPoint({ failPoint: { name: "append.before-propose", action: "off" } });
    expect((await readAll(hubc)).map((e) => e.id)).not.toContain("bp-1");
    const again = await hubc.append({ entries: [entry("bp-1")] });
    expect(again.results[0]?.duplicate).toBe(false);
  });

  it("append.after-commit drop: the client times out, yet the entry is committed once and a replay is a duplicate", async () => {
    await control.setFailPoint({ failPoint: { name: "append.after-commit", action: "drop", count: 1 } });
    const err = await failure(hubc.append({ entries: [entry("ac-1")] }, { timeoutMs: 1000 }));
    expect([Code.DeadlineExceeded, Code.Canceled]).toContain(err?.code);
    const log = await readAll(hubc);
    const committed = log.filter((e) => e.id === "ac-1");
    expect(committed).toHaveLength(1);
    // count 1: the point cleared itself after firing once.
    expect((await control.listFailPoints({})).failPoints).toEqual([]);
    const replay = await hubc.append({ entries: [entry("ac-1")] });
    expect(replay.results[0]?.duplicate).toBe(true);
    expect(replay.results[0]?.seq).toBe(committed[0]?.seq);
  });

  it("read.before-reply error with count 1 fails one Read, then clears itself", async () => {
    await control.setFailPoint({ failPoint: { name: "read.before-reply", action: "error", count: 1 } });
    expect((await control.listFailPoints({})).failPoints).toMatchObject([{ name: "read.before-reply", action: "error", count: 1 }]);
    const err = await failure(hubc.read({ afterSeq: 0n }));
    expect(err?.code).toBe(Code.Unavailable);
    expect((await control.listFailPoints({})).failPoints).toEqual([]);
    await expect(hubc.read({ afterSeq: 0n })).resolves.toBeDefined();
  });

  it("listen.before-send drop: the stream stays silent, heartbeats included, until the client gives up", async () => {
    await control.setFailPoint({ failPoint: { name: "listen.before-send", action: "drop" } });
    let messages = 0;
    const err = await failure(
      (async () => {
        for await (const _ of hubc.listen({ afterSeq: 0n, heartbeatMs: 100 }, { timeoutMs: 1500 })) messages++;
      })(),
    );
    expect(messages).toBe(0);
    expect([Code.DeadlineExceeded, Code.Canceled]).toContain(err?.code);
    await control.setFailPoint({ failPoint: { name: "listen.before-send", action: "off" } });
    const abort = new AbortController();
    try {
      const first = await hubc.listen({ afterSeq: 0n, heartbeatMs: 100 }, { signal: abort.signal })[Symbol.asyncIterator]().next();
      expect(first.done).toBe(false);
    } finally {
      abort.abort();
    }
  });

  it("rejects an unknown fail point with invalid_argument listing the known names", async () => {
    const err = await failure(control.setFailPoint({ failPoint: { name: "append.somewhere", action: "error" } }));
    expect(err?.code).toBe(Code.InvalidArgument);
    const description = err?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.description ?? "";
    for (const name of failPointNames) expect(description).toContain(name);
  });

  it("takes an admin token: a client token is refused", async () => {
    const { token: clientToken } = await hubc.register({ name: "not-an-admin" });
    const err = await failure(controlClient(hub.url, clientToken).listFailPoints({}));
    expect(err?.code).toBe(Code.PermissionDenied);
  });
});

describe("crash fail point", () => {
  afterEach(cleanupProcesses);

  it("append.after-commit crash: the node dies by SIGKILL after the commit, and the entry is there after a restart", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(dir, ["--enable-test-control"]);
    const token = await adminToken(dir);
    await controlClient(hub.url, token).setFailPoint({ failPoint: { name: "append.after-commit", action: "crash" } });
    const err = await failure(hubClient(hub.url, token).append({ entries: [entry("crash-1")] }, { timeoutMs: 10_000 }));
    expect(err).toBeDefined();
    expect(await hub.exited()).toBe("SIGKILL");
    const again = await spawnHub(dir);
    expect((await readAll(hubClient(again.url, token))).map((e) => e.id)).toContain("crash-1");
  });
});

describe("without --enable-test-control", () => {
  afterEach(cleanupProcesses);

  it("ControlService answers unimplemented", async () => {
    const dir = await tempDir();
    const hub = await spawnHub(dir);
    const control = controlClient(hub.url, await adminToken(dir));
    expect((await failure(control.setFailPoint({ failPoint: { name: "append.before-propose", action: "error" } })))?.code).toBe(Code.Unimplemented);
    expect((await failure(control.listFailPoints({})))?.code).toBe(Code.Unimplemented);
  });

  it("SYNOD_TEST_BREAK refuses to start, naming the flag it needs", async () => {
    const dir = await tempDir();
    const r = await runSynod(["hub", "start", "--data-dir", dir, "--listen", "127.0.0.1:0"], { env: { SYNOD_TEST_BREAK: "serve-uncommitted" }, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SYNOD_TEST_BREAK.*requires --enable-test-control/);
    expect(r.stdout).not.toMatch(/listening on/);
  });
});
