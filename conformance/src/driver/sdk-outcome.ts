/**
 * Outcome conversion for the TypeScript SDK's driver: SDK results, errors and event
 * payloads to their driver-contract JSON form (driver-contract.ts). 64-bit values
 * become decimal strings and a `SynodError` becomes a {@link ClientErrorJson}.
 */
import { codeToString } from "@connectrpc/connect/protocol-connect";
import { isSynodError, type AppendResult, type ClientEventName, type ClientEvents, type ListenBatch, type NodeStatus, type ReadResult, type IssuedToken, type SynodError } from "@synod/sdk";
import type { AppendOk, ClientErrorJson, DriverBatch, DriverEvents, ReadOk, RegisterOk, StatusOk } from "./driver-contract.js";

/** The contract form of a SynodError. */
export function clientErrorOf(error: SynodError): ClientErrorJson {
  const { notLeader, retryAfterMs, earliestSeq } = error.details;
  return {
    kind: error.kind,
    failure: error.failure,
    retryable: error.retryable,
    ...(error.code !== undefined ? { code: codeToString(error.code) } : {}),
    message: error.message,
    ...(notLeader !== undefined ? { notLeader: { leaderId: notLeader.leaderId, leaderUrl: notLeader.leaderUrl, term: notLeader.term.toString() } } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(earliestSeq !== undefined ? { earliestSeq: earliestSeq.toString() } : {}),
  };
}

/** {@link clientErrorOf} for anything thrown; `undefined` when it is not a SynodError. */
export function describeSdkError(error: unknown): ClientErrorJson | undefined {
  return isSynodError(error) ? clientErrorOf(error) : undefined;
}

/** The `ok` of `append`. */
export function appendOkOf(results: readonly AppendResult[]): AppendOk {
  return { results: results.map((r) => ({ id: r.id, seq: r.seq.toString(), duplicate: r.duplicate })) };
}

/** The `ok` of `read`. */
export function readOkOf(r: ReadResult): ReadOk {
  return {
    entries: r.entries.map((e) => ({ seq: e.seq.toString(), id: e.id, type: e.type, content: e.content, origin: e.origin, term: e.term.toString() })),
    throughSeq: r.throughSeq.toString(),
    commitSeq: r.commitSeq.toString(),
    hasMore: r.hasMore,
  };
}

/** The `ok` of `status`. */
export function statusOkOf(s: NodeStatus): StatusOk {
  return {
    nodeId: s.nodeId,
    role: s.role,
    term: s.term.toString(),
    leaderId: s.leaderId,
    leaderUrl: s.leaderUrl,
    commitSeq: s.commitSeq.toString(),
    hasQuorum: s.hasQuorum,
    members: s.members.map((m) => ({ nodeId: m.nodeId, role: m.role, clientUrl: m.clientUrl })),
  };
}

/** The `ok` of `register`. */
export function registerOkOf(t: IssuedToken): RegisterOk {
  return { token: t.token, tokenId: t.info.tokenId, name: t.info.name };
}

/** A listen batch as the driver reports it (ids and seqs only). */
export function batchOf(b: ListenBatch): DriverBatch {
  return { afterSeq: b.afterSeq.toString(), throughSeq: b.throughSeq.toString(), entries: b.entries.map((e) => ({ seq: e.seq.toString(), id: e.id })) };
}

/** An SDK event payload in its contract form. */
export function eventDataOf<E extends ClientEventName>(name: E, payload: ClientEvents[E]): DriverEvents[E] {
  switch (name) {
    case "giveUp": {
      const p = payload as ClientEvents["giveUp"];
      return { method: p.method, attempts: p.attempts, error: clientErrorOf(p.error) } as unknown as DriverEvents[E];
    }
    case "redirect":
    case "failover": {
      const p = payload as ClientEvents["redirect" | "failover"];
      return { ...p, term: p.term.toString() } as unknown as DriverEvents[E];
    }
    case "resume": {
      const p = payload as ClientEvents["resume"];
      return { afterSeq: p.afterSeq.toString(), peer: p.peer } as unknown as DriverEvents[E];
    }
    case "peers": {
      const p = payload as ClientEvents["peers"];
      return { peers: [...p.peers] } as unknown as DriverEvents[E];
    }
    default:
      // attempt and backoff carry only strings and numbers.
      return { ...payload } as unknown as DriverEvents[E];
  }
}
