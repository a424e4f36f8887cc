/**
 * `ok: auto`: answers computed from the shared fake log and the server's settings,
 * so cases script only what they test. Append writes to the log (dedup by id) and
 * answers as the leader of the server's `term`; Read pages the log; Status describes
 * the server (`leader`, `members`, `term` settings); Register issues a token.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { ClusterServiceStatusResponseSchema } from "@synod/proto/cluster";
import { Role } from "@synod/proto/entry";
import {
  AppendResponseSchema,
  MemberStatusSchema,
  ReadResponseSchema,
  RegisterResponseSchema,
  StatusResponseSchema,
  TokenInfoSchema,
  type AppendRequest,
  type ReadRequest,
  type RegisterRequest,
  type StatusResponse,
} from "@synod/proto/hub";
import type { FakeLog } from "./fake-log.js";
import type { ScriptableMethod } from "./fake-methods.js";
import type { FakeServerScript } from "./fake-script.js";

/** The origin stamped on entries appended through the fake servers. */
export const fakeOrigin = "fake-client";

/** What an auto answer may read. */
export interface AutoContext {
  readonly server: FakeServerScript;
  readonly log: FakeLog;
  readonly urlOf: (name: string) => string;
}

/**
 * The auto answer of `method` to `request`.
 * @throws Error for a method without an auto answer (the parser refuses those).
 */
export function autoAnswer(method: ScriptableMethod, request: Message, ctx: AutoContext): Message {
  const { server, log } = ctx;
  switch (method) {
    case "Append": {
      const req = request as AppendRequest;
      const results = log.append(req.entries, fakeOrigin, server.term);
      return create(AppendResponseSchema, { results, term: server.term, leaderId: server.name });
    }
    case "Read": {
      const req = request as ReadRequest;
      return create(ReadResponseSchema, log.page(req.afterSeq, req.limit, req.types, req.origins));
    }
    case "Status":
      return autoStatus(ctx);
    case "ClusterStatus":
      return create(ClusterServiceStatusResponseSchema, { status: autoStatus(ctx) });
    case "Register": {
      const req = request as RegisterRequest;
      const tokenId = `fake-${req.name}`;
      return create(RegisterResponseSchema, {
        token: `synod_cli_fake_${req.name}`,
        info: create(TokenInfoSchema, { tokenId, name: req.name, kind: "client" }),
      });
    }
    default:
      throw new Error(`ok: auto is not defined for ${method}`);
  }
}

function autoStatus(ctx: AutoContext): StatusResponse {
  const { server, log, urlOf } = ctx;
  const roleOf = (name: string): Role => (name === server.leader ? Role.LEADER : Role.FOLLOWER);
  return create(StatusResponseSchema, {
    nodeId: server.name,
    role: roleOf(server.name),
    term: server.term,
    leaderId: server.leader,
    leaderUrl: server.leader === "" ? "" : urlOf(server.leader),
    commitSeq: log.lastSeq,
    appliedSeq: log.lastSeq,
    entries: log.lastSeq,
    mode: "bootstrap",
    members: server.members.map((name) =>
      create(MemberStatusSchema, {
        nodeId: name,
        role: roleOf(name),
        clientUrl: urlOf(name),
        reachable: true,
        voter: true,
        inSync: true,
        commitSeq: log.lastSeq,
        appliedSeq: log.lastSeq,
      }),
    ),
    hasQuorum: server.leader !== "",
    version: "synod-conformance fake server",
    clientUrl: urlOf(server.name),
  });
}
