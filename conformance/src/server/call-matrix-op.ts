/**
 * `callMatrix`: the same call over every protocol, HTTP version and codec, so a
 * case checks the error table is the same whatever the client speaks (DESIGN §6).
 */
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { ControlService, ListFailPointsResponseSchema } from "@synod/proto/control";
import { WriteConcern } from "@synod/proto/entry";
import { AppendResponseSchema, HubService, ListResponseSchema, ReadResponseSchema, StatusResponseSchema } from "@synod/proto/hub";
import { uint64Arg } from "../case-format/uint64-arg.js";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { appendHistoryOf } from "./append-history.js";
import { appendRequestOf } from "./append-op.js";
import { callChoiceOf, choiceLabel, type CallChoice } from "./call-choice.js";
import { answerVariants, matrixCombinations, type MatrixOutcome } from "./call-matrix.js";
import { ensureClientToken } from "./client-token.js";
import { rpcErrorValue } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson, plainJson, type PlainJson } from "./plain-json.js";
import { readRequestOf } from "./read-op.js";

/** Deadline of each call, ms (for `listen`: until the first message). */
const callTimeoutMsDefault = 10_000;

/**
 * The calls a matrix can make: HubService's Append, Read, Status, Listen, and its
 * admin-only Register and List; ControlService's ListFailPoints (read-only, so it can
 * run once per combination).
 */
const calls = ["append", "read", "status", "listen", "register", "list", "listFailPoints"] as const;
type Call = (typeof calls)[number];

interface CallRun {
  /** A client of `service` on the matrix's node, over the combination being run. */
  readonly clientOf: <S extends DescService>(service: S) => Client<S>;
  readonly request: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly ctx: CaseContext;
}

/** Runs one call; resolves with the reply as JSON, or throws its error. */
async function runCall(call: Call, r: CallRun): Promise<PlainJson> {
  const opts = { timeoutMs: r.timeoutMs, signal: r.signal };
  const client = r.clientOf(HubService);
  switch (call) {
    case "append": {
      const req = appendRequestOf(r.request);
      const res = await client.append(req, opts);
      appendHistoryOf(r.ctx).record(res.results, req.writeConcern === WriteConcern.LEADER ? "leader" : "majority");
      return messageJson(AppendResponseSchema, res);
    }
    case "read":
      return messageJson(ReadResponseSchema, await client.read(readRequestOf(r.request), opts));
    case "status":
      return messageJson(StatusResponseSchema, await client.status({}, opts));
    case "listen": {
      // The first message proves the stream was accepted; then it is cancelled.
      const stop = new AbortController();
      const request = { afterSeq: uint64Arg(r.request.afterSeq, "afterSeq") ?? 0n, heartbeatMs: typeof r.request.heartbeatMs === "number" ? r.request.heartbeatMs : 0, types: (r.request.types as string[] | undefined) ?? [] };
      try {
        for await (const m of client.listen(request, { timeoutMs: r.timeoutMs, signal: AbortSignal.any([r.signal, stop.signal]) })) {
          return plainJson({ afterSeq: m.afterSeq, throughSeq: m.throughSeq, entries: m.entries.length });
        }
        throw new Error("the stream ended without a message");
      } finally {
        stop.abort();
      }
    }
    case "register": {
      // The secret is left out of the outcome (reports are kept).
      const res = await client.register({ name: typeof r.request.name === "string" ? r.request.name : "conformance-matrix" }, opts);
      return plainJson({ name: res.info?.name ?? "", kind: res.info?.kind ?? "" });
    }
    case "list":
      return messageJson(ListResponseSchema, await client.list({}, opts));
    case "listFailPoints":
      return messageJson(ListFailPointsResponseSchema, await r.clientOf(ControlService).listFailPoints({}, opts));
  }
}

/**
 * `callMatrix {node, call: append|read|status|listen|register|list|listFailPoints,
 * request?, token?: admin|client|none|bad, protocols?, http?, json?, timeoutMs?}`: runs
 * `call` with `request` (the step arguments of append or read; for listen `afterSeq`,
 * `heartbeatMs`, `types`; for register `name`) once per combination, one after
 * another. `token: client` first registers the case's client token (client-token.ts). Outcome `{outcomes: [{protocol, http, json, code,
 * message?, notLeader?, fieldViolations?, …, reply?}], codes: [distinct codes],
 * variants: n}`; `code` is `ok` for a success, whose body is in `reply`.
 */
export const callMatrixOp: OpHandler = async (args, ctx) => {
  const call = args.call as Call;
  if (!calls.includes(call)) throw new Error(`call must be one of ${calls.join(", ")}, got ${JSON.stringify(args.call)}`);
  const node = await resolveTarget(ctx, args.node);
  const token = callChoiceOf({ token: args.token }).token;
  const combos: CallChoice[] = matrixCombinations(
    { ...(args.protocols ? { protocols: args.protocols as CallChoice["protocol"][] } : {}), ...(args.http ? { http: (args.http as unknown[]).map(String) as CallChoice["http"][] } : {}), ...(args.json ? { json: args.json as boolean[] } : {}) },
    token,
  );
  if (combos.length === 0) throw new Error("the chosen protocols, http versions and codecs leave no combination");
  if (token === "client") await ensureClientToken(ctx, node);
  const request = (args.request ?? {}) as Record<string, unknown>;
  const timeoutMs = typeof args.timeoutMs === "number" ? args.timeoutMs : callTimeoutMsDefault;
  const outcomes: MatrixOutcome[] = [];
  for (const c of combos) {
    const where = { protocol: c.protocol, http: c.http, json: c.json };
    try {
      const reply = await runCall(call, { clientOf: (service) => nodeClient(ctx, service, node, c), request, timeoutMs, signal: ctx.signal, ctx });
      outcomes.push({ ...where, code: "ok", reply });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      outcomes.push({ ...where, ...(plainJson(rpcErrorValue(err)) as { code: string }) });
    }
    ctx.log(`${call} over ${choiceLabel(c)} → ${outcomes.at(-1)?.code}`);
  }
  return { ok: plainJson({ outcomes, codes: [...new Set(outcomes.map((o) => o.code))], variants: answerVariants(outcomes) }) };
};
