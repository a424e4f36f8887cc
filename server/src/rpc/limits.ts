/**
 * Named maxima for everything a client sends (CONVENTIONS: every batch and
 * buffer has a named maximum, and exceeding it is a typed error).
 */
export const limits = {
  /** Entries in one Append call. */
  batchEntriesMax: 1000,
  /** Sum of content bytes in one Append call. */
  batchContentBytesMax: 8 * 1024 * 1024,
  /** Bytes of an entry id (UTF-8). */
  idBytesMax: 128,
  /** Bytes of an entry's content (UTF-8). DESIGN §3. */
  contentBytesMax: 1024 * 1024,
  /** Bytes of an entry type. */
  typeBytesMax: 64,
  /** Keys in an entry's meta map. */
  metaKeysMax: 32,
  /** Bytes of a meta key. */
  metaKeyBytesMax: 64,
  /** Bytes of a meta value. */
  metaValueBytesMax: 1024,
  /** Entries in one Read page. */
  readLimitMax: 1000,
  /** Read page size when the request says 0. */
  readLimitDefault: 100,
  /** Filter values in one Read or Listen request (types or origins). */
  filterValuesMax: 64,
  /** Bytes of a client name (the origin stamped on its entries). */
  clientNameBytesMax: 64,
  /** Largest request body the server reads, in bytes. */
  requestBytesMax: 16 * 1024 * 1024,
} as const;

/** The entry types a hub accepts unless configured otherwise. DESIGN §3. */
export const defaultEntryTypes: readonly string[] = ["decision", "learning", "convention", "task"];
