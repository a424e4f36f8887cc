/** HubService: entries, status and client tokens (DESIGN §6). */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { WriteConcern } from "@synod/proto/entry";
import { HubService, TokenInfoSchema, type TokenInfo } from "@synod/proto/hub";
import type { TokenRecord } from "../auth/token-table.js";
import type { FailPointHook } from "../control/fail-points.js";
import { hashToken, newTokenId, newTokenSecret } from "../auth/token-secret.js";
import { HubError, invalidArgument, type FieldViolation } from "../hub-error.js";
import type { HubNode } from "../node/hub-node.js";
import type { EntryFilter } from "../node/entry-log.js";
import { seq } from "../raft/types.js";
import { callerKey } from "./auth-interceptor.js";
import { toWireEntry as toWire } from "./entry-convert.js";
import { validateEntries } from "./entry-validation.js";
import { wireError } from "./error-table.js";
import { limits } from "./limits.js";
import { listenStream, type ListenOptions } from "./listen-stream.js";
import { buildStatus, type NodeFacts } from "./status.js";

/** What the HubService handlers need. */
export interface HubServiceDeps {
  readonly node: HubNode;
  readonly facts: NodeFacts;
  readonly entryTypes: ReadonlySet<string>;
  readonly listen: ListenOptions;
  readonly nowMs: () => number;
  /** Aborted when the node begins to stop. */
  readonly stopping: AbortSignal;
  /** For consistent reads: resolves once leadership is confirmed (read-index), else throws. */
  readonly confirmLeadership: () => Promise<void>;
  /** Observes each Append: concern, seconds, entries newly appended. */
  readonly onAppended?: (concern: string, seconds: number, appended: number) => void;
  /** Ms this node has been without a known leader. */
  readonly leaderlessMs: () => number;
  /** Base election timeout, ms. */
  readonly electionMs: number;
  /** Resets the HTTP stream of the current call. */
  readonly resetTransport: (ctx: HandlerContext) => () => void;
  /** Test-only fail points (`noFailPoints` unless the hub runs with --enable-test-control). */
  readonly failPoints: FailPointHook;
}

const namePattern = /^[A-Za-z0-9._-]+$/;

function checkFilter(out: FieldViolation[], field: string, values: readonly string[]): void {
  if (values.length > limits.filterValuesMax) out.push({ field, description: `at most ${limits.filterValuesMax} values` });
}

function filterOf(types: readonly string[], origins: readonly string[]): EntryFilter {
  const out: FieldViolation[] = [];
  checkFilter(out, "types", types);
  checkFilter(out, "origins", origins);
  if (out.length > 0) throw invalidArgument(out);
  return { types, origins };
}

function tokenInfo(t: TokenRecord): TokenInfo {
  return create(TokenInfoSchema, {
    tokenId: t.tokenId,
    name: t.name,
    kind: t.kind,
    createdAt: timestampFromMs(t.createdAtMs),
    usesLeft: t.usesLeft,
  });
}

/** Maps thrown operating errors to wire errors for a unary handler. */
async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wireError(err);
  }
}

/** Registers HubService on a router. */
export function registerHubService(router: ConnectRouter, d: HubServiceDeps): void {
  router.service(HubService, {
    append: (req, ctx) =>
      mapped(async () => {
        const caller = ctx.values.get(callerKey);
        const drafts = validateEntries(req.entries, d.entryTypes, d.nowMs());
        const concern = req.writeConcern === WriteConcern.LEADER ? "leader" : "majority";
        await d.failPoints.hit("append.before-propose", ctx.signal);
        const started = performance.now();
        const results = await d.node.append(drafts, caller?.name ?? "", concern);
        d.onAppended?.(concern, (performance.now() - started) / 1000, results.filter((r) => !r.duplicate).length);
        await d.failPoints.hit("append.after-commit", ctx.signal);
        return { results, term: d.node.term, leaderId: d.node.nodeId };
      }),
    read: (req, ctx) =>
      mapped(async () => {
        const filter = filterOf(req.types, req.origins);
        if (req.limit > limits.readLimitMax) {
          throw invalidArgument([{ field: "limit", description: `at most ${limits.readLimitMax}` }]);
        }
        if (req.minSeq > d.node.commit.seq && !(await d.node.commit.waitBeyond(seq(req.minSeq - 1n), ctx.signal, 30_000))) {
          throw new HubError({ kind: "deadlineExceeded" }, `seq ${req.minSeq} is not committed yet`);
        }
        if (req.consistent) await d.confirmLeadership();
        const page = await d.node.read(seq(req.afterSeq), req.limit || limits.readLimitDefault, filter);
        const commitSeq = d.node.commit.seq;
        await d.failPoints.hit("read.before-reply", ctx.signal);
        return { entries: page.entries.map(toWire), throughSeq: page.throughSeq, commitSeq, hasMore: page.throughSeq < commitSeq };
      }),
    async *listen(req, ctx) {
      let filter: EntryFilter;
      try {
        filter = filterOf(req.types, req.origins);
        if (req.heartbeatMs !== 0 && (req.heartbeatMs < 100 || req.heartbeatMs > 60_000)) {
          throw invalidArgument([{ field: "heartbeat_ms", description: "must be 0 or 100..60000" }]);
        }
      } catch (err) {
        throw wireError(err);
      }
      const params = {
        afterSeq: seq(req.afterSeq),
        filter,
        heartbeatMs: req.heartbeatMs || d.listen.heartbeatMsDefault,
        signal: ctx.signal,
        stopping: d.stopping,
        leaderlessMs: d.leaderlessMs,
        leaderlessMaxMs: 3 * d.electionMs,
        resetTransport: d.resetTransport(ctx),
        failPoints: d.failPoints,
      };
      try {
        yield* listenStream(d.node, params, d.listen);
      } catch (err) {
        throw wireError(err);
      }
    },
    status: () => buildStatus(d.node, d.facts, d.nowMs()),
    register: (req) =>
      mapped(async () => {
        if (!namePattern.test(req.name) || req.name.length > limits.clientNameBytesMax) {
          throw invalidArgument([{ field: "name", description: `must be 1..${limits.clientNameBytesMax} of [A-Za-z0-9._-]` }]);
        }
        const secret = newTokenSecret("client");
        const tokenId = newTokenId();
        await d.node.proposeToken({ kind: "create", tokenId, name: req.name, tokenKind: "client", hash: hashToken(secret), createdAtMs: d.nowMs() });
        const rec = d.node.tokens.get(tokenId);
        if (!rec) throw new Error("assertion: committed token is missing from the table");
        return { token: secret, info: tokenInfo(rec) };
      }),
    revoke: (req, ctx) =>
      mapped(async () => {
        const caller = ctx.values.get(callerKey);
        const targets = d.node.tokens.list().filter((t) => (req.tokenId ? t.tokenId === req.tokenId : req.name !== "" && t.name === req.name && t.kind === "client"));
        if (!req.tokenId && !req.name) throw invalidArgument([{ field: "token_id", description: "give token_id or name" }]);
        if (targets.length === 0) throw new HubError({ kind: "notFound" }, "no such token");
        if (targets.some((t) => t.tokenId === caller?.tokenId)) {
          throw new HubError({ kind: "failedPrecondition" }, "a token cannot revoke itself");
        }
        for (const t of targets) await d.node.proposeToken({ kind: "revoke", tokenId: t.tokenId });
        return { revoked: targets.length };
      }),
    list: () => ({ tokens: d.node.tokens.list().map(tokenInfo) }),
  });
}
