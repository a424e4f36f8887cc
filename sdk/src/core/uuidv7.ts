/**
 * Formats a UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, version 7,
 * 74 random bits, variant 10. Pure: the caller supplies the time and the
 * randomness, so ids sort by creation time and tests can fix both.
 *
 * @param unixMs milliseconds since the Unix epoch, 0..2^48-1.
 * @param randomBytes at least 10 random bytes (only the first 10 are used).
 * @throws RangeError when the inputs are out of range.
 */
export function formatUuidV7(unixMs: number, randomBytes: Uint8Array): string {
  if (!Number.isInteger(unixMs) || unixMs < 0 || unixMs >= 2 ** 48) {
    throw new RangeError(`unixMs out of range: ${unixMs}`);
  }
  if (randomBytes.length < 10) throw new RangeError("uuidv7 needs 10 random bytes");
  const bytes = new Uint8Array(16);
  let ms = unixMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes.set(randomBytes.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
