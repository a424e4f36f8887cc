import { describe, expect, it } from "vitest";
import { badToken, callChoiceOf, choiceLabel, transportChoice } from "./call-choice.js";

describe("callChoiceOf", () => {
  it("defaults to Connect, binary, HTTP/2 and the admin token", () => {
    expect(callChoiceOf({})).toEqual({ protocol: "connect", http: "2", json: false, token: "admin" });
  });

  it("reads every axis and refuses gRPC over HTTP/1.1 and unknown values", () => {
    expect(callChoiceOf({ protocol: "grpcweb", http: "1.1", json: true, token: "none" })).toEqual({ protocol: "grpcweb", http: "1.1", json: true, token: "none" });
    expect(() => callChoiceOf({ protocol: "grpc", http: "1.1" })).toThrow(/HTTP\/2 only/);
    expect(() => callChoiceOf({ protocol: "rest" })).toThrow(/protocol/);
    expect(() => callChoiceOf({ http: "3" })).toThrow(/http/);
    expect(() => callChoiceOf({ token: "root" })).toThrow(/token/);
    expect(callChoiceOf({ token: "client" }).token).toBe("client");
  });
});

describe("transportChoice", () => {
  it("sends the admin token, the case's client token, a never-issued one, or none", () => {
    const c = callChoiceOf({});
    expect(transportChoice(c, { admin: "adm" }).token).toBe("adm");
    expect(transportChoice({ ...c, token: "bad" }, { admin: "adm" }).token).toBe(badToken);
    expect(transportChoice({ ...c, token: "client" }, { admin: "adm", client: "cli" }).token).toBe("cli");
    expect(() => transportChoice({ ...c, token: "client" }, { admin: "adm" })).toThrow(/registered/);
    expect(transportChoice({ ...c, token: "none" }, { admin: "adm" })).not.toHaveProperty("token");
    expect(choiceLabel({ ...c, token: "none" })).toBe("connect/h2/binary/token:none");
  });
});
