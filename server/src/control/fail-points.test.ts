import { Code } from "@connectrpc/connect";
import { BadRequestSchema, NotLeaderSchema } from "@synod/proto/errors";
import { describe, expect, it } from "vitest";
import { HubError } from "../hub-error.js";
import { silentLogger } from "../logger.js";
import { toConnectError } from "../rpc/error-table.js";
import { FailPoints, failPointNames, noFailPoints, type FailPointEffects } from "./fail-points.js";

/** Effects under the test's control: sleeps end when the test says so, crashes are counted. */
function fakeEffects() {
  const sleeps: { ms: number; end: () => void; signal: AbortSignal }[] = [];
  let crashes = 0;
  const effects: FailPointEffects = {
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        sleeps.push({ ms, end: resolve, signal });
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    crash: () => void crashes++,
  };
  return { effects, sleeps, crashes: () => crashes };
}

/** Settles what microtasks can settle, then says whether `p` did. */
async function settled(p: Promise<unknown>): Promise<"resolved" | "rejected" | "pending"> {
  let state: "resolved" | "rejected" | "pending" = "pending";
  p.then(() => (state = "resolved"), () => (state = "rejected"));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return state;
}

async function rejection(p: Promise<unknown> | undefined): Promise<HubError> {
  if (p === undefined) throw new Error("the fail point did not fire");
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof HubError)) throw new Error(`expected a HubError, got ${String(err)}`);
  return err;
}

const live = new AbortController().signal;

describe("FailPoints", () => {
  it("rejects an unknown name with invalid_argument that lists every known name", () => {
    const fp = new FailPoints(silentLogger);
    let err: unknown;
    try {
      fp.set({ name: "append.nowhere", action: "error", count: 0, delayMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HubError);
    const wire = toConnectError(err as HubError);
    expect(wire.code).toBe(Code.InvalidArgument);
    const description = wire.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.description ?? "";
    for (const name of failPointNames) expect(description).toContain(name);
    expect(fp.list()).toEqual([]);
  });

  it("rejects an unknown action and a delay without a usable delay_ms", () => {
    const fp = new FailPoints(silentLogger);
    expect(() => fp.set({ name: "append.after-commit", action: "explode", count: 0, delayMs: 0 })).toThrow(/unknown action/);
    expect(() => fp.set({ name: "append.after-commit", action: "delay", count: 0, delayMs: 0 })).toThrow(/delay_ms/);
    expect(() => fp.set({ name: "append.after-commit", action: "delay", count: 0, delayMs: 600_001 })).toThrow(/delay_ms/);
    expect(fp.list()).toEqual([]);
  });

  it("does nothing where nothing is armed, and the disabled hook never does anything", () => {
    const fp = new FailPoints(silentLogger);
    fp.set({ name: "read.before-reply", action: "error", count: 0, delayMs: 0 });
    expect(fp.hit("append.before-propose", live)).toBeUndefined();
    for (const name of failPointNames) expect(noFailPoints.hit(name, live)).toBeUndefined();
  });

  it("error fails the call with unavailable, without a NotLeader hint", async () => {
    const fp = new FailPoints(silentLogger);
    fp.set({ name: "append.before-propose", action: "error", count: 0, delayMs: 0 });
    const err = await rejection(fp.hit("append.before-propose", live));
    const wire = toConnectError(err);
    expect(wire.code).toBe(Code.Unavailable);
    expect(wire.rawMessage).toBe("fail point append.before-propose");
    expect(wire.findDetails(NotLeaderSchema)).toEqual([]);
  });

  it("a count fires that many times, then the point clears itself", async () => {
    const fp = new FailPoints(silentLogger);
    fp.set({ name: "read.before-reply", action: "error", count: 2, delayMs: 0 });
    await rejection(fp.hit("read.before-reply", live));
    expect(fp.list()).toEqual([{ name: "read.before-reply", action: "error", count: 1, delayMs: 0 }]);
    await rejection(fp.hit("read.before-reply", live));
    expect(fp.list()).toEqual([]);
    expect(fp.hit("read.before-reply", live)).toBeUndefined();
  });

  it("count 0 fires until cleared with off; setting again replaces the action", async () => {
    const fp = new FailPoints(silentLogger);
    fp.set({ name: "listen.before-send", action: "error", count: 0, delayMs: 0 });
    for (let i = 0; i < 5; i++) await rejection(fp.hit("listen.before-send", live));
    fp.set({ name: "listen.before-send", action: "delay", count: 0, delayMs: 250 });
    expect(fp.list()).toEqual([{ name: "listen.before-send", action: "delay", count: 0, delayMs: 250 }]);
    fp.set({ name: "listen.before-send", action: "off", count: 0, delayMs: 0 });
    expect(fp.list()).toEqual([]);
    expect(fp.hit("listen.before-send", live)).toBeUndefined();
  });

  it("drop never answers until the request is aborted, then fails", async () => {
    const fp = new FailPoints(silentLogger);
    fp.set({ name: "append.after-commit", action: "drop", count: 0, delayMs: 0 });
    const request = new AbortController();
    const hit = fp.hit("append.after-commit", request.signal);
    if (!hit) throw new Error("the fail point did not fire");
    expect(await settled(hit)).toBe("pending");
    request.abort();
    const err = await rejection(hit);
    expect(toConnectError(err).code).toBe(Code.Unavailable);
    const gone = new AbortController();
    gone.abort();
    expect(await settled(fp.hit("append.after-commit", gone.signal) ?? Promise.resolve())).toBe("rejected");
  });

  it("delay waits delay_ms and then lets the call continue; an abort cuts it short with an error", async () => {
    const fx = fakeEffects();
    const fp = new FailPoints(silentLogger, fx.effects);
    fp.set({ name: "listen.before-send", action: "delay", count: 0, delayMs: 1500 });
    const first = fp.hit("listen.before-send", live);
    if (!first) throw new Error("the fail point did not fire");
    expect(fx.sleeps.map((s) => s.ms)).toEqual([1500]);
    expect(await settled(first)).toBe("pending");
    fx.sleeps[0]?.end();
    expect(await settled(first)).toBe("resolved");
    const request = new AbortController();
    const second = fp.hit("listen.before-send", request.signal);
    request.abort();
    const err = await rejection(second);
    expect(err.detail.kind).toBe("unavailable");
  });

  it("crash ends the process through the crash effect, once per firing", async () => {
    const fx = fakeEffects();
    const fp = new FailPoints(silentLogger, fx.effects);
    fp.set({ name: "append.after-commit", action: "crash", count: 1, delayMs: 0 });
    await rejection(fp.hit("append.after-commit", live));
    expect(fx.crashes()).toBe(1);
    expect(fp.hit("append.after-commit", live)).toBeUndefined();
    expect(fx.crashes()).toBe(1);
  });
});
