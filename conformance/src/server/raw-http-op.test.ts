import { describe, expect, it } from "vitest";
import { headerLists } from "./raw-http-op.js";

describe("headerLists", () => {
  it("splits comma-separated values, trimmed and lower-cased", () => {
    expect(headerLists({ "access-control-allow-headers": "Content-Type, Connect-Protocol-Version,authorization", vary: "origin" })).toEqual({
      "access-control-allow-headers": ["content-type", "connect-protocol-version", "authorization"],
      vary: ["origin"],
    });
    expect(headerLists({ empty: "" })).toEqual({ empty: [] });
  });
});
