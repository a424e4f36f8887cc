/**
 * Opens the node's log store, replays the internal records (tokens now,
 * membership later) into the node's state, and turns storage errors into
 * hub operating errors.
 */
import { LogStore, StorageError, type StorageFs } from "../storage/index.js";
import type { Logger } from "../logger.js";
import { HubError } from "../hub-error.js";
import type { Payload } from "../raft/types.js";
import type { EntryLog } from "./entry-log.js";

/** The log as the node holds it. */
export interface NodeLog extends EntryLog {
  /** "" when writes work; otherwise why they do not. */
  readonly storageError: string;
  close(): Promise<void>;
}

/** Options of {@link openNodeLog}. */
export interface NodeLogOptions {
  readonly segmentBytes: number;
  readonly logger: Logger;
  readonly fs?: StorageFs | undefined;
  /** Receives every non-entry payload of the log, in order. */
  readonly onInternal: (p: Exclude<Payload, { kind: "entry" }>) => void;
  /** Called when the store is poisoned (a failed fsync): the node must exit. */
  readonly onFatal: (err: StorageError) => void;
}

/** Maps a storage failure to what the client is told (DESIGN §6). */
export function storageToHubError(err: unknown): unknown {
  if (!(err instanceof StorageError)) return err;
  if (err.kind === "overloaded") return new HubError({ kind: "overloaded", retryAfterMs: 100 }, err.message);
  return new HubError({ kind: "storageFull", reason: err.message }, `cannot write: ${err.message}`);
}

/** Opens the log under `<dataDir>/log` and replays internal records. */
export async function openNodeLog(dataDir: string, o: NodeLogOptions): Promise<NodeLog> {
  const store = await LogStore.open(dataDir, {
    segmentBytesMax: o.segmentBytes,
    ...(o.fs ? { fs: o.fs } : {}),
    log: { warn: (msg: string) => o.logger.warn(msg) },
    onRecoveredRecord: (r) => {
      if (r.payload.kind !== "entry") o.onInternal(r.payload);
    },
  });
  return {
    get lastIndex() {
      return store.lastIndex;
    },
    get lastSeq() {
      return store.lastSeq;
    },
    get storageError() {
      return store.state === "ok" ? "" : store.state === "poisoned" ? "log store poisoned by a failed fsync; restart the node" : "last write failed (disk full?); retrying on the next write";
    },
    append: async (records) => {
      try {
        await store.append(records);
      } catch (err) {
        if (err instanceof StorageError && err.poisoned) o.onFatal(err);
        throw storageToHubError(err);
      }
    },
    lookupId: (id) => store.lookupId(id),
    readEntries: (afterSeq, { limit, throughSeqMax, filter }) =>
      // The store reads an empty list as "match nothing"; on the wire it means "match all".
      store.readEntries(afterSeq, {
        limit,
        throughSeqMax,
        filter: { types: filter.types.length ? filter.types : undefined, origins: filter.origins.length ? filter.origins : undefined },
      }),
    close: () => store.close(),
  };
}
