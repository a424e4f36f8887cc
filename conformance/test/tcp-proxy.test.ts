import { afterEach, describe, expect, it } from "vitest";
import net from "node:net";
import { once } from "node:events";
import { startTcpProxy, type TcpProxy } from "../src/network/tcp-proxy.js";

/** An echo server on 127.0.0.1:0 that counts the bytes it received. */
async function echoServer(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("data", (d: Buffer) => ((received += d.length), s.write(d)));
    s.on("error", () => s.destroy());
    s.on("close", () => sockets.delete(s));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => received,
    close: () => (sockets.forEach((s) => s.destroy()), new Promise<void>((r) => server.close(() => r()))),
  };
}

/** A client socket with a way to await a given number of received bytes, or its close. */
async function dial(port: number) {
  const s = net.connect({ host: "127.0.0.1", port });
  let got = "";
  const waiters = new Set<() => void>();
  s.on("data", (d: Buffer) => ((got += d.toString()), waiters.forEach((w) => w())));
  s.on("error", () => {});
  // events.once would reject on the reset's "error"; a reset is what some tests expect.
  const closed = new Promise<void>((resolve) => s.once("close", () => resolve()));
  await once(s, "connect");
  return {
    socket: s,
    text: () => got,
    closed,
    /** Resolves once at least `n` characters arrived. */
    until: (n: number) =>
      new Promise<string>((resolve) => {
        const check = () => got.length >= n && (waiters.delete(check), resolve(got));
        waiters.add(check);
        check();
      }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setup(): Promise<{ proxy: TcpProxy; echo: Awaited<ReturnType<typeof echoServer>> }> {
  const echo = await echoServer();
  const proxy = await startTcpProxy({ host: "127.0.0.1", port: echo.port });
  cleanups.push(() => proxy.close(), () => echo.close());
  return { proxy, echo };
}

describe("tcp proxy", () => {
  it("forwards both ways and counts bytes", async () => {
    const { proxy, echo } = await setup();
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const c = await dial(proxy.port);
    c.socket.write("hello");
    expect(await c.until(5)).toBe("hello");
    expect(echo.received()).toBe(5);
    await proxy.waitFor((s) => s.returnedBytes === 5);
    expect(proxy.stats()).toMatchObject({ forwardedBytes: 5, returnedBytes: 5, droppedBytes: 0, acceptedConnections: 1, openConnections: 1 });
    c.socket.destroy();
  });

  it("reset: closes existing connections and new ones, heal forwards again", async () => {
    const { proxy } = await setup();
    const c = await dial(proxy.port);
    c.socket.write("a");
    await c.until(1);
    proxy.cut("reset");
    expect(proxy.state()).toBe("reset");
    await c.closed;
    const refused = net.connect({ host: "127.0.0.1", port: proxy.port });
    refused.on("error", () => {});
    refused.write("lost");
    await new Promise((resolve) => refused.once("close", resolve));
    expect(proxy.stats().forwardedBytes).toBe(1);
    proxy.heal();
    const again = await dial(proxy.port);
    again.socket.write("back");
    expect(await again.until(4)).toBe("back");
    again.socket.destroy();
  });

  it("blackhole: keeps connections open but drops bytes, heal resets those connections", async () => {
    const { proxy, echo } = await setup();
    const c = await dial(proxy.port);
    c.socket.write("x");
    await c.until(1);
    proxy.cut(); // blackhole is the default
    expect(proxy.state()).toBe("blackhole");
    c.socket.write("ping");
    await proxy.waitFor((s) => s.droppedBytes === 4);
    const late = await dial(proxy.port); // accepted, but never reaches the target
    late.socket.write("pong");
    await proxy.waitFor((s) => s.droppedBytes === 8);
    expect(echo.received()).toBe(1);
    expect(c.text()).toBe("x");
    expect(c.socket.destroyed).toBe(false);
    proxy.heal();
    await Promise.all([c.closed, late.closed]);
    const fresh = await dial(proxy.port);
    fresh.socket.write("ok");
    expect(await fresh.until(2)).toBe("ok");
    fresh.socket.destroy();
  });

  it("heal keeps connections that lost nothing while blackholed", async () => {
    const { proxy } = await setup();
    const c = await dial(proxy.port);
    proxy.cut("blackhole");
    proxy.heal();
    c.socket.write("still here");
    expect(await c.until(10)).toBe("still here");
    c.socket.destroy();
  });

  it("delay: holds chunks back for at least the delay and keeps their order", async () => {
    const { proxy } = await setup();
    const c = await dial(proxy.port);
    proxy.delay(60);
    const t0 = performance.now();
    c.socket.write("1");
    c.socket.write("2");
    c.socket.write("3");
    expect(await c.until(3)).toBe("123");
    // Each direction adds the delay; allow for timer granularity.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    expect(() => proxy.delay(-1)).toThrow(RangeError);
    c.socket.destroy();
  });

  it("closes the dialer's connection when the target goes away", async () => {
    const { proxy, echo } = await setup();
    const c = await dial(proxy.port);
    c.socket.write("z");
    await c.until(1);
    await echo.close();
    await c.closed;
    await proxy.waitFor((s) => s.openConnections === 0);
  });

  it("close destroys open connections and stops listening", async () => {
    const { proxy } = await setup();
    const c = await dial(proxy.port);
    await proxy.close();
    await c.closed;
    const refused = net.connect({ host: "127.0.0.1", port: proxy.port });
    const [err] = (await once(refused, "error")) as [NodeJS.ErrnoException];
    expect(err.code).toBe("ECONNREFUSED");
  });
});
