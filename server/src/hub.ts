/**
 * Starts a hub node: data directory, log store, Raft runtime, peer network,
 * RPC services and the client port. The one place that wires the pieces.
 */
import type { HandlerContext } from "@connectrpc/connect";
import { createContextKey, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { randomInt } from "node:crypto";
import http2 from "node:http2";
import { TokenTable } from "./auth/token-table.js";
import { LeaderDuties } from "./cluster/leader-duties.js";
import { joinCluster } from "./cluster/join-cluster.js";
import { PeerDirectory } from "./cluster/peer-directory.js";
import { startPeerServer } from "./cluster/peer-server.js";
import { PeerTransport } from "./cluster/peer-transport.js";
import { RaftRuntime } from "./cluster/raft-runtime.js";
import { Resubmitter, saveRejected } from "./cluster/rejected-entries.js";
import { parseHostPort, parseIdAddresses, type HubConfig } from "./config/hub-config.js";
import { FailPoints, noFailPoints } from "./control/fail-points.js";
import { ForgetfulDedupStorage, serveUncommittedThrough } from "./control/test-breaks.js";
import { HubError } from "./hub-error.js";
import { startClientServer, withCors, type AnyHandler } from "./http/client-server.js";
import type { Logger } from "./logger.js";
import { HubMetrics } from "./metrics/hub-metrics.js";
import { randomSecret, readClusterFile, writeClusterFile } from "./node/cluster-file.js";
import { dataPaths, lockDataDir, writeAddress, writeAdminToken } from "./node/data-dir.js";
import { HubNode } from "./node/hub-node.js";
import { initialRecords } from "./node/initial-state.js";
import { storageToHubError } from "./node/storage-errors.js";
import { openStoreLogStorage } from "./node/store-log-storage.js";
import { RaftInvariantError } from "./raft/invariant.js";
import type { Random } from "./raft/random.js";
import { raftIndex, type LogRecord, type Payload, type RaftIndex, type Term } from "./raft/types.js";
import { authInterceptor } from "./rpc/auth-interceptor.js";
import { registerClusterService } from "./rpc/cluster-service.js";
import { registerControlService } from "./rpc/control-service.js";
import { registerHubService } from "./rpc/hub-service.js";
import { limits } from "./rpc/limits.js";
import { listenDefaults, type ListenOptions } from "./rpc/listen-stream.js";
import { buildStatus, hasQuorum, type NodeFacts } from "./rpc/status.js";
import type { LogStore, StorageFs } from "./storage/index.js";
import { StorageError } from "./storage/index.js";

/** The version reported in status. */
export const synodVersion = "0.2.0";

/** A running hub. */
export interface RunningHub {
  readonly nodeId: string;
  /** e.g. `http://127.0.0.1:9900`. */
  readonly clientUrl: string;
  /** e.g. `http://127.0.0.1:9901`. */
  readonly peerUrl: string;
  readonly mode: HubConfig["mode"];
  /** The admin secret, only when this node created it (first start of a cluster). */
  readonly createdAdminToken: string | undefined;
  /** Hands leadership over if this node leads, stops serving, lets in-flight calls finish for up to `graceMs`, closes the log. */
  stop(graceMs?: number): Promise<void>;
}

/** Options beyond the configuration, mostly for tests. */
export interface StartOptions {
  readonly logger: Logger;
  readonly listen?: Partial<ListenOptions>;
  readonly nowMs?: () => number;
  /** The file system under the log (tests inject failures such as a full disk). */
  readonly storageFs?: StorageFs;
  /** Told the admin secret when this node creates it. */
  readonly onAdminToken?: (secret: string) => void;
}

const rawRequestKey = createContextKey<{ reset: () => void } | undefined>(undefined);

function resetterFor(req: unknown): { reset: () => void } {
  return {
    reset: () => {
      if (req instanceof http2.Http2ServerRequest) req.stream.close(http2.constants.NGHTTP2_CANCEL);
      else (req as { socket?: { destroy(): void } }).socket?.destroy();
    },
  };
}

const cryptoRandom: Random = { nextInt: (max) => randomInt(max) };

function withHealthAndMetrics(handler: AnyHandler, health: () => { ok: boolean; body: object }, metrics: HubMetrics): AnyHandler {
  return (req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      const h = health();
      res.statusCode = h.ok ? 200 : 503;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(h.body));
      return;
    }
    if (req.method === "GET" && req.url === "/metrics") {
      void metrics.text().then((text) => {
        res.setHeader("content-type", metrics.contentType);
        res.end(text);
      });
      return;
    }
    handler(req, res);
  };
}

/** Polls `pred` every 20 ms until it holds or `timeoutMs` passes. */
function waitFor(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (pred()) return resolve(true);
      if (Date.now() > deadline) return resolve(false);
      setTimeout(check, 20);
    };
    check();
  });
}

/** Internal records found by the start-up scan, applied up to the commit hint. */
interface Recovered {
  readonly internal: { index: RaftIndex; payload: Exclude<Payload, { kind: "entry" }> }[];
}

async function clusterIdentity(cfg: HubConfig): Promise<{ clusterId: string; clusterSecret: string; mode: string }> {
  const saved = await readClusterFile(cfg.dataDir);
  const clusterSecret = cfg.clusterSecret || saved?.clusterSecret || (cfg.mode === "single" ? randomSecret() : "");
  const ident = { clusterId: saved?.clusterId ?? "", clusterSecret, mode: saved?.mode ?? cfg.mode };
  if (clusterSecret && (saved?.clusterSecret !== clusterSecret || saved.mode === undefined)) await writeClusterFile(cfg.dataDir, ident);
  return ident;
}

/** Starts a hub from a resolved configuration. */
export async function startHub(cfg: HubConfig, opts: StartOptions): Promise<RunningHub> {
  const nowMs = opts.nowMs ?? Date.now;
  const logger = opts.logger;
  const release = await lockDataDir(cfg.dataDir, cfg.nodeId);
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const recovered: Recovered = { internal: [] };
    const fsyncObserved: ((ms: number) => void)[] = [];
    const { store, storage } = await openStoreLogStorage(cfg.dataDir, {
      segmentBytesMax: cfg.segmentBytes,
      ...(opts.storageFs ? { fs: opts.storageFs } : {}),
      log: { warn: (msg: string) => logger.warn(msg) },
      onFsync: (ms: number) => fsyncObserved.forEach((f) => f(ms)),
      onRecoveredRecord: (r: LogRecord) => {
        if (r.payload.kind !== "entry") recovered.internal.push({ index: r.index, payload: r.payload });
      },
    });
    closers.push(() => store.close());
    const ident = await clusterIdentity(cfg);
    let hardState = await store.loadHardState();
    if (hardState?.commit !== undefined && hardState.commit > store.lastIndex) {
      // Only after a quarantine cut the log: what was committed past the cut is gone
      // from this disk (kept in quarantine/); in a cluster the leader sends it again.
      opts.logger.warn("commit index past the end of the log (after a quarantine?); serving the log that is left", { commit: hardState.commit, lastIndex: store.lastIndex });
      hardState = { ...hardState, commit: store.lastIndex };
    }
    if (store.lastIndex === 0n && hardState === undefined && cfg.mode !== "join") {
      const init = initialRecords(cfg);
      await store.append(init.records);
      storage.noteAppended(init.records);
      await store.saveHardState(init.hardState);
      hardState = init.hardState;
      for (const r of init.records) if (r.payload.kind !== "entry") recovered.internal.push({ index: r.index, payload: r.payload });
    }
    return await startServing(cfg, opts, { store, storage, hardState, recovered, ident, nowMs, release, closers, fsyncObserved });
  } catch (err) {
    for (const c of closers.reverse()) await c();
    await release();
    throw err;
  }
}

interface Opened {
  readonly store: LogStore;
  readonly storage: Awaited<ReturnType<typeof openStoreLogStorage>>["storage"];
  readonly hardState: Awaited<ReturnType<LogStore["loadHardState"]>>;
  readonly recovered: Recovered;
  ident: { clusterId: string; clusterSecret: string; mode: string };
  readonly nowMs: () => number;
  readonly release: () => Promise<void>;
  readonly closers: (() => Promise<void> | void)[];
  readonly fsyncObserved: ((ms: number) => void)[];
}

async function startServing(cfg: HubConfig, opts: StartOptions, o: Opened): Promise<RunningHub> {
  const { logger } = opts;
  const { store, nowMs } = o;
  const failPoints = cfg.enableTestControl ? new FailPoints(logger) : undefined;
  if (failPoints) logger.warn("TEST CONTROL ENABLED: any admin can make this node fail, stall or crash through ControlService; never run this in production", { node: cfg.nodeId });
  const breaks = new Set(cfg.enableTestControl ? cfg.testBreaks : []);
  if (breaks.size > 0) logger.warn("DELIBERATELY BROKEN for conformance tests (SYNOD_TEST_BREAK): this node violates the protocol on purpose", { modes: [...breaks].join(",") });
  // Test fixture only (control/test-breaks.ts): the core dedups ids through a lookup that forgets older terms.
  const storage: Opened["storage"] = breaks.has("forget-dedup-after-failover") ? new ForgetfulDedupStorage(store, o.storage.configChanges(), (): Term => runtime.leader().term) : o.storage;
  const applied: RaftIndex = o.hardState?.commit ?? raftIndex(0);
  const tokens = new TokenTable();
  const { host, port } = parseHostPort(cfg.listen, "listen");
  const peerAddr = cfg.peerListen ? parseHostPort(cfg.peerListen, "peer-listen") : { host, port: port === 0 ? 0 : port + 1 };
  const bootstrapPeers = cfg.mode === "bootstrap" ? parseIdAddresses(cfg.bootstrap, "bootstrap") : new Map<string, string>();
  const directory = new PeerDirectory(cfg.nodeId, { peerUrl: "", clientUrl: "" }, bootstrapPeers, parseIdAddresses(cfg.peerRoutes, "peer-route"));
  for (const { index, payload } of o.recovered.internal) {
    if (payload.kind === "config") directory.learnChange(payload.change);
    if (payload.kind === "token" && index <= applied) tokens.apply(payload.change);
  }
  let leaderContactMs = nowMs();
  const timers = { tickMs: Math.max(5, Math.min(25, Math.floor(cfg.heartbeatMs / 2))), heartbeatMs: cfg.heartbeatMs, electionMs: cfg.electionTimeoutMs };
  let node!: HubNode;
  let adminCreated: string | undefined;
  const transport = new PeerTransport({
    selfId: cfg.nodeId,
    selfClientUrl: () => directory.clientUrl(cfg.nodeId),
    selfPeerUrl: () => directory.peerUrl(cfg.nodeId),
    secret: () => o.ident.clusterSecret,
    clusterId: () => o.ident.clusterId,
    addressOf: (id) => directory.dialUrl(id),
    logger,
    nowMs,
  });
  o.closers.push(() => transport.close());
  const runtime = new RaftRuntime({
    id: cfg.nodeId,
    store,
    storage,
    hardState: o.hardState ? { term: o.hardState.term, vote: o.hardState.vote, commit: o.hardState.commit ?? raftIndex(0) } : undefined,
    applied,
    random: cryptoRandom,
    timers,
    logger,
    send: (messages) => transport.send(messages),
    apply: (records) => node.apply(records),
    onTruncate: async (records) => {
      const n = await saveRejected(cfg.dataDir, records);
      if (n > 0) logger.warn("truncating entries a newer leader does not have; saved to rejected/ for re-submission", { entries: n });
    },
    onPersistFailure: (err) => {
      if (err instanceof RaftInvariantError) {
        logger.error("raft invariant broken; exiting to recover from disk", { error: err.message });
        process.exit(70);
      }
      if (err instanceof StorageError && err.poisoned) {
        logger.error("fatal storage failure; exiting so the node recovers from disk", { error: err.message });
        process.exit(70);
      }
    },
  });
  const log = {
    get lastIndex() { return store.lastIndex; },
    get lastSeq() { return store.lastSeq; },
    get storageError() { return store.state === "ok" ? "" : store.state === "poisoned" ? "log store poisoned by a failed fsync; restart the node" : "last write failed (disk full?); retrying on the next write"; },
    append: async (records: readonly LogRecord[]) => { try { await store.append(records); } catch (err) { throw storageToHubError(err); } },
    lookupId: (id: string) => store.lookupId(id),
    readEntries: (afterSeq: Parameters<LogStore["readEntries"]>[0], { limit, throughSeqMax, filter }: { limit: number; throughSeqMax: Parameters<LogStore["readEntries"]>[1]["throughSeqMax"]; filter: { types: readonly string[]; origins: readonly string[] } }) =>
      store.readEntries(afterSeq, { limit, throughSeqMax, filter: { types: filter.types.length ? filter.types : undefined, origins: filter.origins.length ? filter.origins : undefined } }),
  };
  node = new HubNode({
    nodeId: cfg.nodeId, runtime, log, tokens, directory, nowMs, appliedSeq: storage.lastSeqAtOrBefore(applied), appendTimeoutMs: 10_000,
    // Test fixture only (control/test-breaks.ts): reads serve past the commit seq.
    ...(breaks.has("serve-uncommitted") ? { readableSeq: serveUncommittedThrough(store) } : {}),
  });
  const peerServer = await startPeerServer(peerAddr.host, peerAddr.port, {
    selfId: cfg.nodeId,
    secret: () => o.ident.clusterSecret,
    logger,
    onMessages: (messages) => {
      const leader = runtime.leader().id;
      if (messages.some((m) => m.from === leader && (m.type === "append" || m.type === "heartbeat"))) leaderContactMs = nowMs();
      runtime.step(messages);
    },
    onPeerSeen: (id, clientUrl, peerUrl) => directory.learnFromPeer(id, clientUrl, peerUrl),
    onResubmit: (entries) => {
      if (runtime.status().role !== "leader") throw node.notLeader();
      return node.resubmit(entries);
    },
  });
  const resubmitter = new Resubmitter(cfg.dataDir, async (entries) => {
    const leader = runtime.leader().id;
    if (leader === undefined) throw new Error("no leader yet");
    if (leader === cfg.nodeId) await node.resubmit(entries);
    else await transport.resubmit(leader, entries);
  }, logger);
  o.closers.push(() => peerServer.close());
  const peerUrl = cfg.advertisePeerUrl || `http://${peerServer.address}`;
  const stopping = new AbortController();
  const listen = { ...listenDefaults, ...opts.listen };
  /** Ms since this node last heard from a leader (0 while it leads). */
  const leaderlessMs = (): number => (runtime.leader().id === cfg.nodeId && runtime.status().role === "leader" ? 0 : nowMs() - leaderContactMs);

  const facts: NodeFacts = {
    mode: o.ident.mode, version: synodVersion, clientUrl: "", peerUrl, electionMs: timers.electionMs, tickMs: timers.tickMs,
    seqAt: (i) => storage.lastSeqAtOrBefore(i),
    peerLastOkMs: (id) => transport.lastOkMs(id),
    leaderSilenceMs: () => nowMs() - leaderContactMs,
  };
  const metrics = new HubMetrics({
    isLeader: () => runtime.status().role === "leader",
    term: () => runtime.leader().term,
    commitSeq: () => node.commit.seq,
    appliedSeq: () => node.commit.seq,
    members: () => { const rs = runtime.status(); return rs.voters.length + rs.learners.length; },
    listeners: () => node.commit.waiting,
    replicationLag: () => { const rs = runtime.status(); return new Map([...rs.followers].map(([id, f]) => [id, Number(rs.lastIndex - f.match)])); },
    lastContactMs: () => { const rs = runtime.status(); return new Map([...rs.followers].map(([id, f]) => [id, f.lastContactTicksAgo * timers.tickMs])); },
  });
  o.fsyncObserved.push((ms) => metrics.fsyncSeconds.observe(ms / 1000));
  let lastLeader: string | undefined;
  const leaderWatch = setInterval(() => {
    const id = runtime.leader().id;
    if (id !== lastLeader) {
      if (id !== undefined) metrics.leaderChanges.inc();
      logger.info("leader changed", { leader: id ?? "none", term: runtime.leader().term });
      lastLeader = id;
    }
  }, timers.tickMs * 4);
  o.closers.push(() => clearInterval(leaderWatch));
  const confirmLeadership = async (): Promise<void> => {
    if (runtime.status().role !== "leader") throw node.notLeader();
    const index = await runtime.readIndex(2 * timers.electionMs);
    if (index === undefined) throw node.notLeader();
    const t = runtime.termAt(index);
    if (t !== undefined) await runtime.waitCommitted(index, t);
  };
  const entryTypes = new Set(cfg.entryTypes);
  const handler = connectNodeAdapter({
    interceptors: [authInterceptor(() => node.tokens)],
    readMaxBytes: limits.requestBytesMax,
    contextValues: (req) => createContextValues().set(rawRequestKey, resetterFor(req)),
    routes: (router) => {
      registerHubService(router, {
        node, facts, entryTypes, listen, nowMs, stopping: stopping.signal, leaderlessMs, electionMs: timers.electionMs, confirmLeadership,
        failPoints: failPoints ?? noFailPoints,
        resetTransport: (ctx: HandlerContext) => () => ctx.values.get(rawRequestKey)?.reset(),
        onAppended: (concern, seconds, appended) => {
          metrics.appendSeconds.observe({ write_concern: concern }, seconds);
          metrics.appendedEntries.inc(appended);
        },
      });
      registerClusterService(router, { node, facts, nowMs, ident: () => o.ident, waitFor });
      registerControlService(router, failPoints);
    },
  });
  const health = () => {
    const rs = runtime.status();
    const ok = hasQuorum(rs, facts);
    return { ok, body: { status: ok ? "ok" : "no quorum", role: rs.role, nodeId: cfg.nodeId, leader: rs.leader ?? "", term: String(rs.term), quorum: ok } };
  };
  const server = await startClientServer(host, port, withHealthAndMetrics(withCors(handler as AnyHandler), health, metrics));
  o.closers.push(() => server.close(100));
  const clientUrl = cfg.advertiseClientUrl || `http://${server.address}`;
  (facts as { clientUrl: string }).clientUrl = clientUrl;
  directory.setSelf({ peerUrl, clientUrl });
  await writeAddress(cfg.dataDir, clientUrl);
  if (cfg.adminToken) await writeAdminToken(cfg.dataDir, cfg.adminToken).catch(() => undefined);
  const duties = new LeaderDuties({
    node, logger, nowMs, adminToken: cfg.adminToken,
    promoteSilenceTicksMax: Math.ceil((2 * timers.electionMs) / timers.tickMs),
    onAdminTokenCreated: async (secret) => {
      adminCreated = secret;
      await writeAdminToken(cfg.dataDir, secret).catch(() => undefined);
      opts.onAdminToken?.(secret);
    },
  });
  runtime.start();
  duties.start(Math.max(50, timers.heartbeatMs * 2));
  o.closers.push(() => duties.stop());
  resubmitter.start(1000);
  o.closers.push(() => resubmitter.stop());
  if (cfg.mode === "join" && store.lastIndex === 0n && !cfg.joinToken) {
    logger.info("join mode without a join token: waiting for a member to add this node (synod hub peer add)", { node: cfg.nodeId });
  }
  if (cfg.mode === "join" && store.lastIndex === 0n && cfg.joinToken) {
    const res = await joinCluster(cfg.join, { joinToken: cfg.joinToken, nodeId: cfg.nodeId, peerUrl, clientUrl }, logger);
    // Saved before it is used: a crash after the first replicated record must not leave a node without its secret.
    const ident = { clusterId: res.clusterId, clusterSecret: res.clusterSecret, mode: "join" };
    await writeClusterFile(cfg.dataDir, ident);
    o.ident = ident;
    for (const m of res.members) {
      directory.learnChange({ kind: "addLearner", nodeId: m.nodeId, ...(m.peerUrl ? { peerUrl: m.peerUrl } : {}), ...(m.clientUrl ? { clientUrl: m.clientUrl } : {}) });
    }
    logger.info("joined the cluster as a learner", { via: cfg.join, members: res.members.length });
  }
  const rs0 = runtime.status();
  if (rs0.voters.length === 1 && rs0.voters[0] === cfg.nodeId) {
    // A cluster of one serves once the log it had is applied again (and, when new,
    // once its admin token exists): a restart must not answer from an older state
    // than the one it acknowledged before going down.
    const lastAtStart = storage.lastIndex();
    const lastTerm = runtime.termAt(lastAtStart);
    let caughtUp = lastTerm === undefined;
    if (lastTerm !== undefined) void runtime.waitCommitted(lastAtStart, lastTerm).then(() => (caughtUp = true), () => (caughtUp = true));
    runtime.campaign();
    await waitFor(() => caughtUp && node.tokens.hasAdmin(), 10_000);
    await duties.runOnce();
  }
  logger.info("hub started", { node: cfg.nodeId, url: clientUrl, peer: peerUrl, mode: cfg.mode, entries: node.commit.seq });
  return {
    nodeId: cfg.nodeId,
    clientUrl,
    peerUrl,
    mode: o.ident.mode as HubConfig["mode"],
    get createdAdminToken() {
      return adminCreated;
    },
    stop: async (graceMs = 5000) => {
      await handOver(runtime, timers.electionMs, logger);
      stopping.abort();
      await server.close(graceMs);
      await runtime.stop();
      for (const c of o.closers.reverse()) await c();
      await o.release();
      logger.info("hub stopped", { node: cfg.nodeId });
    },
  };
}

/** A leader with other voters hands leadership to the most caught-up one before stopping. */
async function handOver(runtime: RaftRuntime, electionMs: number, logger: Logger): Promise<void> {
  const rs = runtime.status();
  if (rs.role !== "leader" || rs.voters.length < 2) return;
  let best: string | undefined;
  let bestMatch = -1n;
  for (const [id, f] of rs.followers) if (!f.learner && f.match > bestMatch) [best, bestMatch] = [id, f.match];
  if (!best) return;
  const r = await runtime.transferLeadership(best);
  if (!r.ok) return;
  const moved = await waitFor(() => runtime.leader().id === best, 3 * electionMs);
  logger.info(moved ? "handed leadership over before stopping" : "leadership hand-over timed out; stopping anyway", { to: best });
}

export { HubError, dataPaths };
