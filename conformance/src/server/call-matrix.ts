/**
 * The combinations `callMatrix` runs one call over (DESIGN §6: one error table,
 * whatever the protocol): Connect, gRPC and gRPC-Web, on HTTP/1.1 and HTTP/2, in
 * binary and JSON. gRPC needs HTTP/2, and the reference client speaks gRPC in binary
 * only, so those combinations are left out.
 */
import type { HttpVersion, WireProtocol } from "../reference-client/reference-transport.js";
import type { CallChoice, TokenChoice } from "./call-choice.js";

/** Every protocol, HTTP version and codec, the default of each matrix axis. */
export const matrixAxes = { protocols: ["connect", "grpc", "grpcweb"], http: ["1.1", "2"], json: [false, true] } as const;

/** The axes a step chose (each defaults to every value). */
export interface MatrixAxes {
  readonly protocols?: readonly WireProtocol[];
  readonly http?: readonly HttpVersion[];
  readonly json?: readonly boolean[];
}

/** Every usable combination of `axes`, in protocol, HTTP version, codec order. */
export function matrixCombinations(axes: MatrixAxes, token: TokenChoice): CallChoice[] {
  const out: CallChoice[] = [];
  for (const protocol of axes.protocols ?? matrixAxes.protocols) {
    for (const http of axes.http ?? matrixAxes.http) {
      for (const json of axes.json ?? matrixAxes.json) {
        if (protocol === "grpc" && http === "1.1") continue; // gRPC needs HTTP/2
        out.push({ protocol, http, json, token });
      }
    }
  }
  return out;
}

/** One combination's result as `callMatrix` reports it: the transport, then `code` (`ok` or an error code) and the error's fields. */
export type MatrixOutcome = { readonly protocol: string; readonly http: string; readonly json: boolean; readonly code: string } & Readonly<Record<string, unknown>>;

/**
 * How many different answers the combinations gave: successes count as one answer
 * whatever their body; errors are compared by code, message and every detail.
 * 1 means the table is identical across every protocol, HTTP version and codec.
 */
export function answerVariants(outcomes: readonly MatrixOutcome[]): number {
  return new Set(outcomes.map(({ protocol: _p, http: _h, json: _j, reply: _r, ...rest }) => (rest.code === "ok" ? "ok" : JSON.stringify(rest)))).size;
}
