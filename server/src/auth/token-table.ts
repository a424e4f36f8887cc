/**
 * The token table: the state built by applying `token` records of the log in
 * order, so every node of a cluster holds the same table. Secrets are never
 * here, only their hashes.
 */
import type { TokenChange } from "../raft/types.js";
import { hashesEqual, hashToken, type TokenKind } from "./token-secret.js";

/** A live token as the table holds it. */
export interface TokenRecord {
  readonly tokenId: string;
  readonly name: string;
  readonly kind: TokenKind;
  readonly hash: string;
  readonly createdAtMs: number;
  /** For join tokens: uses left. */
  usesLeft: number;
}

/** Who a request comes from, once its token checked out. */
export interface Caller {
  readonly tokenId: string;
  readonly name: string;
  readonly kind: TokenKind;
}

/** Applies token changes and answers who holds a secret. */
export class TokenTable {
  readonly #byId = new Map<string, TokenRecord>();
  readonly #byHash = new Map<string, TokenRecord>();

  /** Applies one committed change. Unknown ids in revoke/use are ignored (idempotent replay). */
  apply(change: TokenChange): void {
    if (change.kind === "create") {
      const rec: TokenRecord = {
        tokenId: change.tokenId,
        name: change.name ?? "",
        kind: change.tokenKind ?? "client",
        hash: change.hash ?? "",
        createdAtMs: change.createdAtMs ?? 0,
        usesLeft: change.maxUses ?? 0,
      };
      this.#byId.set(rec.tokenId, rec);
      this.#byHash.set(rec.hash, rec);
      return;
    }
    const rec = this.#byId.get(change.tokenId);
    if (!rec) return;
    if (change.kind === "use") rec.usesLeft = Math.max(0, rec.usesLeft - 1);
    if (change.kind === "revoke" || (rec.kind === "join" && rec.usesLeft === 0)) {
      this.#byId.delete(rec.tokenId);
      this.#byHash.delete(rec.hash);
    }
  }

  /**
   * The caller holding `secret`, or undefined. The lookup is by hash; the final
   * comparison is constant-time.
   */
  authenticate(secret: string): Caller | undefined {
    const hash = hashToken(secret);
    const rec = this.#byHash.get(hash);
    if (!rec || !hashesEqual(rec.hash, hash)) return undefined;
    return { tokenId: rec.tokenId, name: rec.name, kind: rec.kind };
  }

  /** Every live token, oldest first. */
  list(): TokenRecord[] {
    return [...this.#byId.values()].sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  /** The token with this id. */
  get(tokenId: string): TokenRecord | undefined {
    return this.#byId.get(tokenId);
  }

  /** True when an admin token exists (a fresh cluster has none). */
  hasAdmin(): boolean {
    return this.list().some((t) => t.kind === "admin");
  }
}
