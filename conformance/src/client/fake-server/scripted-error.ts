/** Builds the wire error of a script, with its details, as a Synod server sends it (DESIGN §6). */
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, CompactedSchema, NotLeaderSchema, RetryInfoSchema, StorageFullSchema } from "@synod/proto/errors";
import type { ScriptedError } from "./fake-script.js";

type Detail = { desc: DescMessage; value: MessageShape<DescMessage> };

/** A fresh ConnectError for `e` (one per answer: Connect may annotate errors it sends). */
export function scriptedError(e: ScriptedError): ConnectError {
  const details: Detail[] = [];
  const add = <D extends DescMessage>(desc: D, value: MessageShape<D>): void => {
    details.push({ desc, value } as Detail);
  };
  if (e.notLeader !== undefined) add(NotLeaderSchema, create(NotLeaderSchema, e.notLeader));
  if (e.retryAfterMs !== undefined) add(RetryInfoSchema, create(RetryInfoSchema, { retryAfterMs: e.retryAfterMs }));
  if (e.storageFull !== undefined) add(StorageFullSchema, create(StorageFullSchema, { reason: e.storageFull }));
  if (e.compactedEarliestSeq !== undefined) add(CompactedSchema, create(CompactedSchema, { earliestSeq: e.compactedEarliestSeq }));
  if (e.badRequest !== undefined) add(BadRequestSchema, create(BadRequestSchema, { fieldViolations: [...e.badRequest] }));
  return new ConnectError(e.message, e.code, undefined, details);
}

/** A short label for records: `error:unavailable`, `error:unavailable+notLeader`. */
export function errorLabel(e: ScriptedError): string {
  const parts = [
    e.notLeader !== undefined ? "notLeader" : undefined,
    e.retryAfterMs !== undefined ? "retryInfo" : undefined,
    e.storageFull !== undefined ? "storageFull" : undefined,
    e.compactedEarliestSeq !== undefined ? "compacted" : undefined,
    e.badRequest !== undefined ? "badRequest" : undefined,
  ].filter((p) => p !== undefined);
  return `error:${e.codeName}${parts.length > 0 ? `+${parts.join("+")}` : ""}`;
}
