/** Raft messages between the core's form (raft/messages.ts) and the wire (peer.proto). */
import { create } from "@bufbuild/protobuf";
import { RaftMessageSchema, type RaftMessage } from "@synod/proto/peer";
import type { Message } from "../raft/messages.js";
import { raftIndex, term } from "../raft/types.js";
import { recordFromWire, recordToWire } from "./record-codec.js";

/** A core message on the wire. */
export function messageToWire(m: Message): RaftMessage {
  const head = { from: m.from, to: m.to, term: m.term };
  switch (m.type) {
    case "vote":
      return create(RaftMessageSchema, { ...head, body: { case: "voteRequest", value: { preVote: m.pre, transfer: m.transfer, lastLogIndex: m.lastIndex, lastLogTerm: m.lastTerm } } });
    case "voteResp":
      return create(RaftMessageSchema, { ...head, body: { case: "voteResponse", value: { preVote: m.pre, granted: m.granted } } });
    case "append":
      return create(RaftMessageSchema, { ...head, body: { case: "appendEntries", value: { prevLogIndex: m.prevIndex, prevLogTerm: m.prevTerm, records: m.records.map(recordToWire), commitIndex: m.commit } } });
    case "appendResp":
      return create(RaftMessageSchema, { ...head, body: { case: "appendEntriesResponse", value: { success: m.success, matchIndex: m.index, rejectHintIndex: m.hintIndex, rejectHintTerm: m.hintTerm } } });
    case "heartbeat":
      return create(RaftMessageSchema, { ...head, body: { case: "heartbeat", value: { commitIndex: m.commit, readSeq: m.readSeq } } });
    case "heartbeatResp":
      return create(RaftMessageSchema, { ...head, body: { case: "heartbeatResponse", value: { readSeq: m.readSeq } } });
    case "timeoutNow":
      return create(RaftMessageSchema, { ...head, body: { case: "timeoutNow", value: {} } });
  }
}

/** A wire message as the core takes it; undefined for a message without a body. */
export function messageFromWire(w: RaftMessage): Message | undefined {
  const head = { from: w.from, to: w.to, term: term(w.term) };
  const b = w.body;
  switch (b.case) {
    case "voteRequest":
      return { ...head, type: "vote", pre: b.value.preVote, transfer: b.value.transfer, lastIndex: raftIndex(b.value.lastLogIndex), lastTerm: term(b.value.lastLogTerm) };
    case "voteResponse":
      return { ...head, type: "voteResp", pre: b.value.preVote, granted: b.value.granted };
    case "appendEntries":
      return { ...head, type: "append", prevIndex: raftIndex(b.value.prevLogIndex), prevTerm: term(b.value.prevLogTerm), records: b.value.records.map(recordFromWire), commit: raftIndex(b.value.commitIndex) };
    case "appendEntriesResponse":
      return { ...head, type: "appendResp", success: b.value.success, index: raftIndex(b.value.matchIndex), hintIndex: raftIndex(b.value.rejectHintIndex), hintTerm: term(b.value.rejectHintTerm) };
    case "heartbeat":
      return { ...head, type: "heartbeat", commit: raftIndex(b.value.commitIndex), readSeq: b.value.readSeq };
    case "heartbeatResponse":
      return { ...head, type: "heartbeatResp", readSeq: b.value.readSeq };
    case "timeoutNow":
      return { ...head, type: "timeoutNow" };
    default:
      return undefined;
  }
}
