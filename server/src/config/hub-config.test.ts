import { describe, expect, it } from "vitest";
import { ConfigError, resolveHubConfig } from "./hub-config.js";

describe("test control settings", () => {
  it("are off unless asked for", () => {
    const cfg = resolveHubConfig({});
    expect(cfg.enableTestControl).toBe(false);
  });

  it("come from the flag, SYNOD_ENABLE_TEST_CONTROL or the config file, flags winning", () => {
    expect(resolveHubConfig({ flags: { enableTestControl: true } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "1" } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ file: { enableTestControl: true } }).enableTestControl).toBe(true);
    expect(resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "1" }, flags: { enableTestControl: false } }).enableTestControl).toBe(false);
    expect(() => resolveHubConfig({ env: { SYNOD_ENABLE_TEST_CONTROL: "maybe" } })).toThrow(ConfigError);
  });
});
