import { describe, expect, it } from "vitest";
import { normalizePeerList, normalizePeerUrl } from "./peer-url.js";

describe("peer URLs", () => {
  it("turns host:port into an http URL and keeps URLs", () => {
    expect(normalizePeerUrl("hub-a:9900")).toBe("http://hub-a:9900");
    expect(normalizePeerUrl(" 127.0.0.1:9900 ")).toBe("http://127.0.0.1:9900");
    expect(normalizePeerUrl("https://hub.example.com/")).toBe("https://hub.example.com");
    expect(normalizePeerUrl("http://[::1]:9900")).toBe("http://[::1]:9900");
  });

  it("rejects empty peers and other schemes", () => {
    expect(() => normalizePeerUrl("")).toThrow(TypeError);
    expect(() => normalizePeerUrl("ftp://x:1")).toThrow(TypeError);
    expect(() => normalizePeerList([])).toThrow(TypeError);
  });

  it("de-duplicates a list in order", () => {
    expect(normalizePeerList(["a:1", "http://a:1/", "b:2"])).toEqual(["http://a:1", "http://b:2"]);
  });
});
