/**
 * The dedup index: entry id -> entry ordinal (DESIGN §3, "Idempotency").
 *
 * Ids are never kept in memory. Each entry keeps a 52-bit hash of its id
 * (8 bytes, by ordinal) and an open-addressing table of ordinals (4 bytes per
 * slot, load at most 1/2) finds the entries with a given hash. A hit is only a
 * candidate: the store confirms it by reading the record from disk, so a hash
 * collision costs a read, never a false duplicate.
 */
import assert from "node:assert/strict";
import { GrowableArray } from "./growable-array.js";

/**
 * Hashes an entry id to an integer in `[0, 2^52)`. Injectable so tests can
 * force collisions; the default is {@link defaultIdHash}.
 */
export type IdHash = (id: string) => number;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Two independent 32-bit multiplicative hashes over UTF-16 code units, combined to 52 bits. */
export const defaultIdHash: IdHash = (id) => {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return mix32(a) * 0x100000 + (mix32(b) >>> 12);
};

const EMPTY = 0;
const TABLE_SLOTS_MIN = 1024;

/** Hash -> ordinals table with truncation. Ordinals are below 2^32 - 1. */
export class IdIndex {
  private readonly hashes = new GrowableArray("f64", 1024);
  /** Slot -> ordinal + 1 (0 = empty), linear probing. */
  private table = new Uint32Array(TABLE_SLOTS_MIN);

  constructor(private readonly hashId: IdHash) {}

  /** Number of ids. */
  get count(): number {
    return this.hashes.length;
  }

  /** Bytes held (for memory reports). */
  get capacityBytes(): number {
    return this.hashes.capacityBytes + this.table.byteLength;
  }

  /** Adds the id of entry `ordinal`, which must be the next ordinal. */
  add(ordinal: number, id: string): void {
    assert(ordinal === this.hashes.length, `id ordinal ${ordinal}, expected ${this.hashes.length}`);
    assert(ordinal < 0xfffffffe, "too many entries for the id index");
    const hash = this.hashId(id);
    this.hashes.push(hash);
    if ((this.hashes.length + 1) * 2 > this.table.length) this.rebuild(this.table.length * 2);
    else this.place(ordinal, hash);
  }

  /** Ordinals (ascending) of every entry whose id hash equals the hash of `id`. */
  candidates(id: string): number[] {
    const hash = this.hashId(id);
    const mask = this.table.length - 1;
    const found: number[] = [];
    for (let slot = this.home(hash); ; slot = (slot + 1) & mask) {
      const value = this.table[slot]!;
      if (value === EMPTY) break;
      if (this.hashes.get(value - 1) === hash) found.push(value - 1);
    }
    return found.sort((x, y) => x - y);
  }

  /** Keeps the first `count` ids (after a log truncation). */
  truncate(count: number): void {
    if (count === this.hashes.length) return;
    this.hashes.truncate(count);
    this.rebuild(this.table.length);
  }

  private home(hash: number): number {
    // Low bits of the hash; `% 2^32` keeps it exact for 52-bit values.
    return (hash % 0x100000000) & (this.table.length - 1);
  }

  private place(ordinal: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = this.home(hash);
    while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.table[slot] = ordinal + 1;
  }

  private rebuild(slots: number): void {
    let size = Math.max(TABLE_SLOTS_MIN, slots);
    while ((this.hashes.length + 1) * 2 > size) size *= 2;
    this.table = new Uint32Array(size);
    for (let i = 0; i < this.hashes.length; i++) this.place(i, this.hashes.get(i));
  }
}
