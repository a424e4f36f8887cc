/**
 * A controllable TCP proxy for one directed network link, so process tests can cut,
 * heal and slow down the traffic between two real nodes (DESIGN §8 fault injection).
 *
 * It listens on 127.0.0.1 (port 0 by default) and forwards every accepted connection
 * to one target. Two ways to cut a link:
 * - `"reset"`: existing connections are reset and new ones are closed at once, so the
 *   dialer sees an error immediately (a crashed peer, a refused port);
 * - `"blackhole"`: connections stay open (new ones are even accepted) but every byte
 *   is dropped silently, which is how a real partition looks: the dialer only notices
 *   through its own timeouts.
 * `heal()` resets every connection that lost bytes while blackholed (a byte stream with
 * a hole in it is useless to HTTP/2) and forwards new connections again.
 */
import net from "node:net";

/** How {@link TcpProxy.cut} breaks the link. */
export type CutMode = "reset" | "blackhole";

/** The state of the link: forwarding, or cut in one of the {@link CutMode}s. */
export type LinkState = "open" | CutMode;

/** Byte and connection counters of a proxy, cumulative since it started. */
export interface ProxyStats {
  /** Bytes delivered from dialers to the target. */
  readonly forwardedBytes: number;
  /** Bytes delivered from the target back to dialers. */
  readonly returnedBytes: number;
  /** Bytes dropped (either direction) while blackholed. */
  readonly droppedBytes: number;
  /** Connections accepted from dialers. */
  readonly acceptedConnections: number;
  /** Connections currently open on the dialer side. */
  readonly openConnections: number;
}

/** A running proxy for one directed link. */
export interface TcpProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** `127.0.0.1:<port>`, what a dialer should use instead of the target. */
  readonly address: string;
  /** The current link state. */
  state(): LinkState;
  /** Cuts the link; `"blackhole"` is the default. Cutting again switches the mode. */
  cut(mode?: CutMode): void;
  /** Forwards again; connections that lost bytes while blackholed are reset. */
  heal(): void;
  /** Delays every chunk in both directions by `ms` (0 turns it off); order is kept. */
  delay(ms: number): void;
  /** A snapshot of the counters. */
  stats(): ProxyStats;
  /**
   * Resolves once `predicate(stats())` holds; re-checked on every byte or connection
   * event. Never rejects: bound it with the test's timeout.
   */
  waitFor(predicate: (s: ProxyStats) => boolean): Promise<void>;
  /** Stops listening and destroys every connection. Idempotent. */
  close(): Promise<void>;
}

/** Where a proxy forwards to. */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** One dialer connection and, unless it arrived while blackholed, its upstream socket. */
interface Pair {
  readonly client: net.Socket;
  upstream: net.Socket | undefined;
  /** Set once a byte of this pair was dropped; such a pair is reset on heal. */
  lostBytes: boolean;
  readonly toTarget: DelayedWriter;
  readonly toClient: DelayedWriter;
}

/** Writes chunks to a socket after a delay, in order (a later chunk never overtakes). */
class DelayedWriter {
  private readonly queue: { chunk: Buffer; dueMs: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: () => net.Socket | undefined,
    private readonly delivered: (bytes: number) => void,
  ) {}

  push(chunk: Buffer, delayMs: number): void {
    const last = this.queue.at(-1)?.dueMs ?? 0;
    this.queue.push({ chunk, dueMs: Math.max(last, performance.now() + delayMs) });
    this.pump();
  }

  /** Drops every queued chunk; returns how many there were. */
  clear(): number {
    const n = this.queue.length;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return n;
  }

  private pump(): void {
    if (this.timer) return;
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      const waitMs = head.dueMs - performance.now();
      if (waitMs > 0) {
        this.timer = setTimeout(() => ((this.timer = undefined), this.pump()), waitMs);
        return;
      }
      this.queue.shift();
      const s = this.sink();
      if (s && !s.destroyed) {
        s.write(head.chunk);
        this.delivered(head.chunk.length);
      }
    }
  }
}

/**
 * Starts a proxy on 127.0.0.1:`listenPort` (0 picks a free port) forwarding to `target`.
 * Rejects if it cannot listen.
 */
export async function startTcpProxy(target: ProxyTarget, listenPort = 0): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const waiters = new Set<() => void>();
  let linkState: LinkState = "open";
  let delayMs = 0;
  let closed = false;
  const counters = { forwardedBytes: 0, returnedBytes: 0, droppedBytes: 0, acceptedConnections: 0 };
  const stats = (): ProxyStats => ({ ...counters, openConnections: pairs.size });
  const changed = (): void => waiters.forEach((w) => w());

  const destroyPair = (p: Pair): void => {
    p.toTarget.clear();
    p.toClient.clear();
    resetSocket(p.client);
    if (p.upstream) resetSocket(p.upstream);
    if (pairs.delete(p)) changed();
  };
  const relay = (p: Pair, chunk: Buffer, toTarget: boolean): void => {
    if (linkState === "blackhole" || (toTarget && !p.upstream)) {
      p.lostBytes = true;
      counters.droppedBytes += chunk.length;
      changed();
      return;
    }
    (toTarget ? p.toTarget : p.toClient).push(chunk, delayMs);
  };
  const connectUpstream = (p: Pair): void => {
    const up = net.connect({ host: target.host, port: target.port });
    p.upstream = up;
    up.on("data", (chunk: Buffer) => relay(p, chunk, false));
    up.on("error", () => destroyPair(p));
    up.on("close", () => destroyPair(p));
  };

  const server = net.createServer((client) => {
    counters.acceptedConnections++;
    if (linkState === "reset" || closed) {
      resetSocket(client);
      changed();
      return;
    }
    const p: Pair = {
      client,
      upstream: undefined,
      lostBytes: false,
      toTarget: new DelayedWriter(() => p.upstream, (n) => ((counters.forwardedBytes += n), changed())),
      toClient: new DelayedWriter(() => p.client, (n) => ((counters.returnedBytes += n), changed())),
    };
    pairs.add(p);
    client.on("data", (chunk: Buffer) => relay(p, chunk, true));
    client.on("error", () => destroyPair(p));
    client.on("close", () => destroyPair(p));
    if (linkState === "open") connectUpstream(p);
    else p.lostBytes = true; // accepted while blackholed: it has no upstream, so reset it on heal
    changed();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => (server.off("error", reject), resolve()));
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    address: `127.0.0.1:${port}`,
    state: () => linkState,
    cut(mode: CutMode = "blackhole") {
      linkState = mode;
      if (mode === "reset") [...pairs].forEach(destroyPair);
      // Chunks still queued by delay() are in flight: a partition loses them too.
      else for (const p of pairs) if (p.toTarget.clear() + p.toClient.clear() > 0) p.lostBytes = true;
    },
    heal() {
      linkState = "open";
      [...pairs].filter((p) => p.lostBytes).forEach(destroyPair);
    },
    delay(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`delay: ${ms} is not a non-negative number of milliseconds`);
      delayMs = ms;
    },
    stats,
    waitFor(predicate) {
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (!predicate(stats())) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      [...pairs].forEach(destroyPair);
      await done;
    },
  };
}

/** Resets a socket (RST, like a crashed peer) when it is still connected, else destroys it. */
function resetSocket(s: net.Socket): void {
  if (s.destroyed) return;
  if (s.readyState === "open") s.resetAndDestroy();
  else s.destroy();
}
