/**
 * The log store of a hub node: public surface (DESIGN §4).
 */
export { LogStore, type LogStoreOptions, type IdLocation, type LogStoreStats } from "./log-store.js";
export type { EntryFilter, EntryPage, ReadEntriesOptions } from "./log-reader.js";
export type { StorageLog } from "./log-recovery.js";
export type { WriterState, WriterStats } from "./log-writer.js";
export type { IndexMemory } from "./log-index.js";
export { CorruptLogError, StorageError, quarantineCommand, type StorageErrorKind } from "./errors.js";
export { quarantineSegment, type QuarantineReport, type QuarantineOptions } from "./quarantine.js";
export { HARD_STATE_FILE, type HardState } from "./hard-state.js";
export { defaultIdHash, type IdHash } from "./id-index.js";
export { nodeStorageFs, type StorageFs, type StorageFile, type SyncReadFile, type OpenMode } from "./storage-fs.js";
export { crc32c } from "./crc32c.js";
