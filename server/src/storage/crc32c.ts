/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table driven with
 * slicing-by-8. Pure TypeScript; about 1 GB/s on a current core, well above
 * what fdatasync allows.
 */

const POLY = 0x82f63b78;
const TABLE = buildTable();

function buildTable(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/**
 * CRC-32C of `bytes[start, end)`, as an unsigned 32-bit integer.
 * `start`/`end` default to the whole array.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLE;
  let c = ~0;
  let i = start;
  for (; end - i >= 8; i += 8) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
