import { describe, expect, it } from "vitest";
import { ConfigError, resolveHubConfig } from "./hub-config.js";

describe("test control settings", () => {
  it("are off unless asked for", () => {
    const cfg = resolveHubConfig({});
    expect(cfg.enableTestControl).toBe(false);
    expect(cfg.testBreaks).toEqual([]);
  });

  it("come from the flag, SYNOD_ENABLE_TEST_CONTROL or the config file, flags winning", () => {
    expect(resolveHubConfig({ flags: { enableTestControl: true } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "1" } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ file: { enableTestControl: true } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "1" }, flags: { enableTestControl: false } }).enableTestControl).toBe(false);
    expect(() => resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "maybe" } })).toThrow(ConfigError);
  });

  it("refuse SYNOD_TEST_BREAK without test control, naming the flag it needs", () => {
    expect(() => resolveHubConfig({ env: { SYNOD_TEST_BREAK: "serve-uncommitted" } })).toThrow(/requires --enable-test-control/);
  });

  it("accept known broken modes with test control and refuse unknown ones", () => {
    const env = { SYNOD_ENABLE_TEST_CONTROL: "1", SYNOD_TEST_BREAK: "serve-uncommitted,forget-dedup-after-failover" };
    expect(resolveHubConfig({ env }).testBreaks).toEqual(["serve-uncommitted", "forget-dedup-after-failover"]);
    expect(() => resolveHubConfig({ env: { ...env, SYNOD_TEST_BREAK: "serve-uncommitted,lose-everything" } })).toThrow(/unknown mode "lose-everything"/);
  });
});
