/**
 * Turns a peer as users write it into the base URL a transport needs:
 * `host:9900` → `http://host:9900`; URLs keep their scheme; a trailing slash is
 * dropped so the same node always has the same key.
 *
 * @throws TypeError for an empty string or a URL scheme other than http/https.
 */
export function normalizePeerUrl(peer: string): string {
  const trimmed = peer.trim();
  if (trimmed === "") throw new TypeError("peer must not be empty");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  if (!/^https?:\/\//i.test(withScheme)) {
    throw new TypeError(`peer ${JSON.stringify(peer)} must be host:port or an http(s) URL`);
  }
  return withScheme.replace(/\/+$/, "");
}

/**
 * Normalizes and de-duplicates a peer list, keeping the first occurrence's order.
 * @throws TypeError when the list is empty or a peer is malformed.
 */
export function normalizePeerList(peers: readonly string[]): string[] {
  const out: string[] = [];
  for (const peer of peers) {
    const url = normalizePeerUrl(peer);
    if (!out.includes(url)) out.push(url);
  }
  if (out.length === 0) throw new TypeError("at least one peer is required");
  return out;
}
