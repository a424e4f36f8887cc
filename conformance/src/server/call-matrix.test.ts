import { describe, expect, it } from "vitest";
import { answerVariants, matrixCombinations, type MatrixOutcome } from "./call-matrix.js";

const label = (c: { protocol: string; http: string; json: boolean }) => `${c.protocol}/${c.http}/${c.json ? "json" : "bin"}`;

describe("matrixCombinations", () => {
  it("covers every protocol, HTTP version and codec, gRPC only over HTTP/2", () => {
    expect(matrixCombinations({}, "admin").map(label)).toEqual([
      "connect/1.1/bin", "connect/1.1/json", "connect/2/bin", "connect/2/json",
      "grpc/2/bin", "grpc/2/json",
      "grpcweb/1.1/bin", "grpcweb/1.1/json", "grpcweb/2/bin", "grpcweb/2/json",
    ]);
  });

  it("narrows to the chosen axes and carries the token", () => {
    const combos = matrixCombinations({ protocols: ["grpc", "grpcweb"], http: ["1.1"], json: [false] }, "none");
    expect(combos).toEqual([{ protocol: "grpcweb", http: "1.1", json: false, token: "none" }]);
    expect(matrixCombinations({ protocols: ["grpc"], http: ["1.1"] }, "admin")).toEqual([]);
  });
});

describe("answerVariants", () => {
  const at = (protocol: string, rest: Record<string, unknown>): MatrixOutcome => ({ protocol, http: "2", json: false, code: "ok", ...rest });

  it("counts identical errors once whatever the transport, and every success as one answer", () => {
    const err = { code: "unavailable", message: "not the leader", notLeader: { leaderId: "n1", leaderUrl: "u", term: "2" } };
    expect(answerVariants([at("connect", err), at("grpc", err), at("grpcweb", err)])).toBe(1);
    expect(answerVariants([at("connect", { reply: { seq: "1" } }), at("grpc", { reply: { seq: "2" } })])).toBe(1);
  });

  it("tells apart errors that differ in code, message or a detail", () => {
    const a = { code: "unavailable", message: "m", notLeader: { leaderId: "n1", leaderUrl: "u", term: "2" } };
    expect(answerVariants([at("connect", a), at("grpc", { ...a, notLeader: { ...a.notLeader, leaderUrl: "" } })])).toBe(2);
    expect(answerVariants([at("connect", a), at("grpc", { ...a, message: "other" })])).toBe(2);
    expect(answerVariants([at("connect", a), at("grpc", { code: "ok" })])).toBe(2);
  });
});
