/** Storage failures as the client is told about them (DESIGN §6). */
import { HubError } from "../hub-error.js";
import { StorageError } from "../storage/index.js";

/** Maps a storage failure to a hub operating error; anything else passes through. */
export function storageToHubError(err: unknown): unknown {
  if (!(err instanceof StorageError)) return err;
  if (err.kind === "overloaded") return new HubError({ kind: "overloaded", retryAfterMs: 100 }, err.message);
  return new HubError({ kind: "storageFull", reason: err.message }, `cannot write: ${err.message}`);
}
