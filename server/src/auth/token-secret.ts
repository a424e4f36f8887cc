/**
 * Token secrets: generation, hashing and constant-time comparison. Only the
 * SHA-256 of a secret is ever stored or replicated.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** What a token lets its holder do. */
export type TokenKind = "admin" | "client" | "join";

const prefixes: Record<TokenKind, string> = {
  admin: "synod_adm_",
  client: "synod_cli_",
  join: "synod_join_",
};

/** A new secret of the given kind: prefix + 32 random bytes in base64url (256 bits). */
export function newTokenSecret(kind: TokenKind): string {
  return prefixes[kind] + randomBytes(32).toString("base64url");
}

/** A short public id for listing and revoking, never derived from the secret. */
export function newTokenId(): string {
  return "tok_" + randomBytes(6).toString("hex");
}

/** Hex SHA-256 of a secret. */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Compares two hex hashes in time independent of where they differ. */
export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The kind a secret claims by its prefix, or undefined for a malformed one. */
export function kindOfSecret(secret: string): TokenKind | undefined {
  for (const kind of Object.keys(prefixes) as TokenKind[]) {
    if (secret.startsWith(prefixes[kind])) return kind;
  }
  return undefined;
}
