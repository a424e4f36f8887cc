import { expect, it } from "vitest";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { RaftMessageSchema } from "@synod/proto/peer";
import type { Message } from "../raft/messages.js";
import { raftIndex, seq, term, type LogRecord } from "../raft/types.js";
import { messageFromWire, messageToWire } from "./message-codec.js";

const records: LogRecord[] = [
  { index: raftIndex(7), term: term(2), payload: { kind: "noop" } },
  { index: raftIndex(8), term: term(2), payload: { kind: "entry", entry: { id: "e1", type: "task", content: "c", meta: { k: "v" }, createdAtMs: 1700000000123, seq: seq(5), origin: "o", term: term(2), committedAtMs: 1700000000456 } } },
  { index: raftIndex(9), term: term(2), payload: { kind: "config", change: { kind: "addLearner", nodeId: "n4", peerUrl: "http://h:1", clientUrl: "http://h:2" } } },
  { index: raftIndex(10), term: term(2), payload: { kind: "token", change: { kind: "create", tokenId: "tok_1", name: "p", tokenKind: "client", hash: "ab", createdAtMs: 5 } } },
  { index: raftIndex(11), term: term(2), payload: { kind: "token", change: { kind: "revoke", tokenId: "tok_1" } } },
];
const head = { from: "n1", to: "n2", term: term(3) };
const messages: Message[] = [
  { ...head, type: "vote", pre: true, transfer: false, lastIndex: raftIndex(9), lastTerm: term(2) },
  { ...head, type: "voteResp", pre: false, granted: true },
  { ...head, type: "append", prevIndex: raftIndex(6), prevTerm: term(1), records, commit: raftIndex(6) },
  { ...head, type: "appendResp", success: false, index: raftIndex(6), hintIndex: raftIndex(4), hintTerm: term(1) },
  { ...head, type: "heartbeat", commit: raftIndex(11), readSeq: 42 },
  { ...head, type: "heartbeatResp", readSeq: 42 },
  { ...head, type: "timeoutNow" },
];

it("every message kind and payload kind survives a trip over the wire unchanged", () => {
  for (const m of messages) {
    const bytes = toBinary(RaftMessageSchema, messageToWire(m));
    expect(messageFromWire(fromBinary(RaftMessageSchema, bytes))).toEqual(m);
  }
});
