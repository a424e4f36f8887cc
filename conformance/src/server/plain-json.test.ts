import { create } from "@bufbuild/protobuf";
import { AppendResponseSchema } from "@synod/proto/hub";
import { describe, expect, it } from "vitest";
import { messageJson, plainJson } from "./plain-json.js";

describe("plainJson", () => {
  it("turns bigints into exact decimal strings, deep, and drops undefined members", () => {
    expect(plainJson({ a: 18446744073709551615n, b: [1n, { c: 2n, d: undefined }], e: "x", f: null, g: true })).toEqual({
      a: "18446744073709551615",
      b: ["1", { c: "2" }],
      e: "x",
      f: null,
      g: true,
    });
  });

  it("drops the protobuf $typeName marker", () => {
    expect(plainJson({ $typeName: "synod.v1.X", seq: 3n })).toEqual({ seq: "3" });
  });
});

describe("messageJson", () => {
  it("writes the JSON mapping with default values present and 64-bit numbers as strings", () => {
    const res = create(AppendResponseSchema, { results: [{ id: "a", seq: 9007199254740993n, duplicate: false }], term: 2n, leaderId: "n1" });
    expect(messageJson(AppendResponseSchema, res)).toEqual({ results: [{ id: "a", seq: "9007199254740993", duplicate: false }], term: "2", leaderId: "n1" });
  });
});
