/**
 * Our SDK's driver through the runner's DriverProcess, against a port where nothing
 * listens (no cluster): the handshake, client errors as outcomes, events, a listener
 * cancelled in its backoff, faults as harness errors, and a clean exit.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDriverCommand } from "../src/cli/main.js";
import { DriverContractError, DriverProcess } from "../src/driver/driver-process.js";
import { freePort } from "../src/network/free-port.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let driver: DriverProcess;
const never = new AbortController().signal;

beforeAll(async () => {
  driver = await DriverProcess.start({ command: defaultDriverCommand, cwd: repoRoot });
  const port = await freePort(); // nothing listens here: every attempt is refused
  const connected = await driver.call("connect", { peers: [`http://127.0.0.1:${port}`], options: { timeoutMs: 400, backoff: { baseMs: 10, capMs: 40 }, refreshPeersMs: 0 } }, 10_000);
  expect(connected).toEqual({ ok: {}, elapsedMs: expect.any(Number) });
});

afterAll(async () => {
  await driver?.close();
});

describe("the SDK driver", () => {
  it("says what it is", () => {
    expect(driver.implementation).toMatch(/^@synod\/sdk /);
  });

  it("answers a call that cannot reach any node with the SDK's error, and reports its attempts", async () => {
    const outcome = await driver.call("append", { entries: [{ type: "task", content: "x" }] }, 10_000);
    expect(outcome).toMatchObject({ error: { kind: "deadlineExceeded", retryable: false } });
    const names = [...new Set(driver.events().map((e) => e.name))];
    expect(names).toEqual(expect.arrayContaining(["attempt", "backoff", "giveUp"]));
    expect(driver.events().find((e) => e.name === "giveUp")?.data).toMatchObject({ method: "Append", error: { kind: "deadlineExceeded" } });
    const attempts = driver.events().filter((e) => e.name === "attempt" && e.data.method === "Append");
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.every((e) => Number.isFinite(e.atMs))).toBe(true);
    // The runner's elapsedMs spans the whole call, as the driver's own clock saw it (each rounded to 1 ms).
    const giveUp = driver.events().find((e) => e.name === "giveUp");
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual((giveUp?.atMs ?? Number.NaN) - (attempts[0]?.atMs ?? Number.NaN) - 2);
  });

  it("cancels a listener that is backing off, ending it with kind cancelled before the reply", async () => {
    const record = driver.expectListener("l", 0n);
    expect(await driver.call("listen", { listener: "l" }, 10_000)).toEqual({ ok: {}, elapsedMs: expect.any(Number) });
    const backedOff = await driver.waitFor(() => driver.events().some((e) => e.name === "backoff" && e.data.method === "Listen"), 10_000, never);
    expect(backedOff).toBe(true);
    expect(await driver.call("cancel", { listener: "l" }, 10_000)).toEqual({ ok: {}, elapsedMs: expect.any(Number) });
    expect(record.ended).toBe(true);
    expect(record.endError).toMatchObject({ kind: "cancelled", failure: "fatal" });
    expect(record.batches).toEqual([]);
  });

  it("turns a driver fault into a harness error, not an outcome", async () => {
    await expect(driver.call("cancel", { listener: "nobody" }, 10_000)).rejects.toThrow(DriverContractError);
    await expect(driver.call("append", {}, 10_000)).rejects.toThrow(/entries must be an array/);
  });

  it("has written nothing outside the contract", () => {
    expect(driver.violations()).toEqual([]);
  });
});
