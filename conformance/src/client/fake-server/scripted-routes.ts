/**
 * The Connect routes of one fake server: every HubService and ClusterService RPC,
 * each recording its request and then answering from the script (or `unimplemented`
 * when the case did not script it).
 */
import { create, toJson, type Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext, type MethodImpl } from "@connectrpc/connect";
import { EntrySchema, type Entry } from "@synod/proto/entry";
import type { AppendRequest } from "@synod/proto/hub";
import http2 from "node:http2";
import { sleepMs, untilAborted } from "./abortable-wait.js";
import { autoAnswer } from "./auto-answer.js";
import type { FakeLog } from "./fake-log.js";
import { fakeMethods, isScriptableMethod, type FakeMethod } from "./fake-methods.js";
import type { DropMode, FakeServerScript, ScriptedAction, ScriptedResponse } from "./fake-script.js";
import { cutConnection } from "./loopback-server.js";
import { rawRequestKey } from "./raw-request.js";
import type { RequestRecorder } from "./request-recorder.js";
import { ResponseQueue } from "./response-queue.js";
import { errorLabel, scriptedError } from "./scripted-error.js";
import { DroppedError, playScriptedStream, streamLabel } from "./scripted-stream.js";

/** What every fake server of a case shares. */
export interface SharedFakeState {
  readonly log: FakeLog;
  readonly recorder: RequestRecorder;
  readonly urlOf: (name: string) => string;
  /** Aborts when the fake servers close: hanging and silent answers end. */
  readonly closing: AbortSignal;
}

/** The label a response is recorded with (`ok`, `ok:auto+drop`, `error:unavailable+notLeader`, `hang`, …). */
export function actionLabel(action: ScriptedAction): string {
  switch (action.kind) {
    case "ok":
      return `ok${action.body === "auto" ? ":auto" : ""}${action.thenDrop ? `+drop:${action.thenDrop}` : ""}`;
    case "error":
      return errorLabel(action.error);
    case "hang":
      return "hang";
    case "drop":
      return `drop:${action.mode}`;
    case "stream":
      return streamLabel(action.steps);
  }
}

/** Registers every RPC of one fake server on `router`. */
export function scriptedRoutes(server: FakeServerScript, shared: SharedFakeState): (router: ConnectRouter) => void {
  const queues = new Map<string, ResponseQueue>();
  for (const [method, responses] of server.methods) queues.set(method, new ResponseQueue(responses));
  return (router) => {
    for (const method of fakeMethods) {
      const take = (request: Message, hctx: HandlerContext): ScriptedResponse | undefined => {
        const picked = queues.get(method.name)?.next();
        record(server.name, method, request, hctx, picked ? actionLabel(picked.response.action) : "unscripted", shared.recorder);
        return picked?.response;
      };
      const impl = method.streaming ? streamingImpl(server, method, shared, take) : unaryImpl(server, method, shared, take);
      router.rpc(method.desc, impl as MethodImpl<typeof method.desc>);
    }
  };
}

type Take = (request: Message, hctx: HandlerContext) => ScriptedResponse | undefined;

function unscripted(server: FakeServerScript, method: FakeMethod): ConnectError {
  return new ConnectError(`${method.name} is not scripted for fake server ${server.name}`, Code.Unimplemented);
}

function unaryImpl(server: FakeServerScript, method: FakeMethod, shared: SharedFakeState, take: Take) {
  return async (request: Message, hctx: HandlerContext): Promise<Message> => {
    const response = take(request, hctx);
    if (response === undefined) throw unscripted(server, method);
    const signal = AbortSignal.any([hctx.signal, shared.closing]);
    await sleepMs(response.delayMs, signal);
    const action = response.action;
    switch (action.kind) {
      case "ok": {
        const body =
          action.body === "auto" && isScriptableMethod(method.name)
            ? autoAnswer(method.name, request, { server, log: shared.log, urlOf: shared.urlOf })
            : (action.body as Message);
        if (action.thenDrop !== undefined) dropAndThrow(hctx, action.thenDrop);
        return body;
      }
      case "error":
        throw scriptedError(action.error);
      case "hang":
        await untilAborted(signal);
        throw new ConnectError("the hanging request ended", Code.Canceled);
      case "drop":
        return dropAndThrow(hctx, action.mode);
      case "stream":
        throw new Error(`a stream answer for unary ${method.name}`);
    }
  };
}

function streamingImpl(server: FakeServerScript, method: FakeMethod, shared: SharedFakeState, take: Take) {
  return async function* (request: Message, hctx: HandlerContext): AsyncGenerator<Message> {
    const response = take(request, hctx);
    if (response === undefined) throw unscripted(server, method);
    const signal = AbortSignal.any([hctx.signal, shared.closing]);
    await sleepMs(response.delayMs, signal);
    const action = response.action;
    switch (action.kind) {
      case "stream":
        yield* playScriptedStream(action.steps, {
          signal,
          term: server.term,
          sleep: sleepMs,
          untilAborted,
          drop: (mode) => drop(hctx, mode),
          entry: (id, seq) => entryFor(shared.log, id, seq, server.term),
        });
        return;
      case "error":
        throw scriptedError(action.error);
      case "hang":
        await untilAborted(signal);
        return;
      case "drop":
        dropAndThrow(hctx, action.mode);
        return;
      case "ok":
        throw new Error(`an ok answer for streaming ${method.name}`);
    }
  };
}

/** The entry a scripted listen message carries: the fake log's, when it has the id, at the scripted seq. */
function entryFor(log: FakeLog, id: string, seq: bigint, term: bigint): Entry {
  const known = log.byId(id);
  if (known !== undefined) return create(EntrySchema, { ...known, seq });
  return create(EntrySchema, { id, seq, type: "task", content: `fake entry ${id}`, origin: "fake-origin", term });
}

function record(server: string, method: FakeMethod, request: Message, hctx: HandlerContext, answered: string, recorder: RequestRecorder): void {
  const raw = hctx.values.get(rawRequestKey);
  const contentType = hctx.requestHeader.get("content-type") ?? "";
  const protocol = contentType.startsWith("application/grpc-web") ? "grpc-web" : contentType.startsWith("application/grpc") ? "grpc" : "connect";
  recorder.record({
    server,
    method: method.name,
    body: toJson(method.input, request, { alwaysEmitImplicit: true }),
    ...(method.name === "Append" ? { ids: (request as AppendRequest).entries.map((e) => e.id) } : {}),
    answered,
    protocol,
    httpVersion: raw?.httpVersion ?? "unknown",
  });
}

/**
 * Cuts the request: over HTTP/2 the stream is reset with INTERNAL_ERROR, or the TCP
 * connection is reset; over HTTP/1.1 the TCP connection is reset. Never
 * REFUSED_STREAM, which would tell the client the request was not processed.
 */
function drop(hctx: HandlerContext, mode: DropMode): void {
  const raw = hctx.values.get(rawRequestKey);
  if (raw === undefined) throw new Error("the raw request is missing: routes must be served through startLoopbackServer");
  if (mode === "stream" && "stream" in raw && raw.stream !== undefined) raw.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  else cutConnection(raw);
}

function dropAndThrow(hctx: HandlerContext, mode: DropMode): never {
  drop(hctx, mode);
  throw new DroppedError(`request ${mode} dropped by the script`);
}
