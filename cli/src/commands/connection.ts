/** `synod connection …`: a project's link to a hub. */
import { basename, resolve } from "node:path";
import { Command, Option } from "commander";
import { createClient, type Entry, type SynodClient } from "@synod/sdk/node";
import { CliError } from "../cli-error.js";
import { loadConnection, saveConnection, toUrl, type Connection } from "../connection-file.js";
import { Mirror, type MirrorLine } from "../mirror.js";
import { toJson } from "../output.js";
import { defaultTimeoutSeconds, timeoutMs } from "../hub-target.js";
import { renderStatus } from "../status-view.js";
import { readContent, parseMeta } from "./publish-input.js";

interface DirOption {
  dir: string;
  timeout?: string;
}

const dirOption = (): Option => new Option("--dir <project>", "project directory holding .synod/").default(process.cwd(), "the current directory");
const timeoutOption = (): Option => new Option("--timeout <seconds>", "give up after this long, retries included (not for listen)").default(String(defaultTimeoutSeconds));

async function withConnection<T>(o: DirOption, fn: (c: SynodClient, conn: Connection) => Promise<T>): Promise<T> {
  const conn = await loadConnection(resolve(o.dir));
  const client = createClient({ peers: [...conn.peers], token: conn.token, timeoutMs: timeoutMs(o.timeout) });
  try {
    return await fn(client, conn);
  } finally {
    client.close?.();
  }
}

function mirrorLine(e: Entry): MirrorLine {
  return {
    seq: e.seq.toString(),
    id: e.id,
    type: e.type,
    origin: e.origin,
    content: e.content,
    meta: { ...e.meta },
    createdAt: e.createdAt?.toISOString() ?? "",
    committedAt: e.committedAt?.toISOString() ?? "",
  };
}

function registerRegister(conn: Command): void {
  conn
    .command("register <addr>")
    .description("Connect this project to a hub: with an admin token, create a client token for the project; with a client token, use it as is.")
    .requiredOption("--token <token>", "admin token (synod_adm_…) or client token (synod_cli_…)")
    .option("--peers <list>", "other hub nodes, comma-separated host:port, for failover")
    .option("--name <name>", "client name stamped as origin (default: the project folder's name)")
    .addOption(timeoutOption())
    .addOption(dirOption())
    .action(async (addr: string, o: DirOption & { token: string; peers?: string; name?: string }) => {
      const dir = resolve(o.dir);
      const peers = [toUrl(addr), ...(o.peers ? o.peers.split(",").filter(Boolean).map(toUrl) : [])];
      const name = o.name ?? basename(dir).replace(/[^A-Za-z0-9._-]/g, "-");
      const admin = createClient({ peers, token: o.token, timeoutMs: timeoutMs(o.timeout) });
      let token = o.token;
      try {
        if (o.token.startsWith("synod_adm_")) token = (await admin.register(name)).token;
        else await admin.status();
      } finally {
        admin.close?.();
      }
      const path = await saveConnection(dir, { peers, token, name, types: [], origins: [] });
      process.stdout.write(`registered ${name} with ${peers.join(", ")}\nsaved ${path} (mode 0600)\n`);
    });
}

function registerPublish(conn: Command): void {
  conn
    .command("publish [content...]")
    .description("Append an entry (content from the arguments, or stdin when none or `-`).")
    .requiredOption("--type <type>", "entry type, e.g. decision, learning, convention, task")
    .option("--meta <key=value>", "metadata (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--id <id>", "idempotency key (default: a new UUIDv7); publishing the same id twice adds one entry")
    .addOption(new Option("--write-concern <wc>", "when to acknowledge").choices(["majority", "leader"]).default("majority"))
    .option("--json", "print the result as JSON")
    .addOption(timeoutOption())
    .addOption(dirOption())
    .action(async (words: string[], o: DirOption & { type: string; meta: string[]; id?: string; writeConcern: "majority" | "leader"; json?: boolean }) => {
      const content = await readContent(words);
      const entry = { type: o.type, content, meta: parseMeta(o.meta), ...(o.id ? { id: o.id } : {}) };
      const r = await withConnection(o, (c) => c.append(entry, { writeConcern: o.writeConcern }));
      process.stdout.write(o.json ? toJson(r) + "\n" : `${r.duplicate ? "already published" : "published"} seq ${r.seq} id ${r.id}\n`);
    });
}

async function syncOnce(c: SynodClient, conn: Connection, mirror: Mirror): Promise<number> {
  let written = 0;
  for (;;) {
    const page = await c.read({ afterSeq: mirror.cursor, limit: 1000, types: conn.types, origins: conn.origins });
    written += await mirror.write(page.entries.map(mirrorLine), page.throughSeq);
    if (!page.hasMore) return written;
  }
}

function registerSync(conn: Command): void {
  conn
    .command("sync")
    .description("Copy every new entry (of the subscribed types) into .synod/entries.jsonl once, then exit.")
    .addOption(timeoutOption())
    .addOption(dirOption())
    .action(async (o: DirOption) => {
      const mirror = await Mirror.open(resolve(o.dir));
      try {
        const n = await withConnection(o, (c, conn) => syncOnce(c, conn, mirror));
        process.stdout.write(`synced ${n} new entr${n === 1 ? "y" : "ies"}; cursor at seq ${mirror.cursor}\n`);
      } finally {
        await mirror.close();
      }
    });
}

function registerListen(conn: Command): void {
  conn
    .command("listen")
    .description("Follow the hub live: print each new entry and append it to .synod/entries.jsonl; resumes where it stopped. Ctrl-C stops.")
    .option("--json", "print entries as JSON lines")
    .addOption(dirOption())
    .action(async (o: DirOption & { json?: boolean }) => {
      const mirror = await Mirror.open(resolve(o.dir));
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        await withConnection(o, async (c, conn) => {
          const batches = c.listen({ afterSeq: mirror.cursor, types: conn.types, origins: conn.origins, signal: stop.signal });
          for await (const b of batches) {
            const lines = b.entries.map(mirrorLine);
            await mirror.write(lines, b.throughSeq);
            for (const l of lines) process.stdout.write(o.json ? JSON.stringify(l) + "\n" : `#${l.seq} [${l.type}] ${l.origin}: ${l.content}\n`);
          }
        });
      } catch (err) {
        if (!stop.signal.aborted) throw err;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await mirror.close();
      }
    });
}

function registerSubscribe(conn: Command): void {
  conn
    .command("subscribe [types...]")
    .description("Choose which entry types (and origins) listen and sync receive; with no arguments, show the subscription.")
    .option("--origins <list>", "only entries from these clients, comma-separated")
    .option("--all", "receive every type and origin")
    .addOption(dirOption())
    .action(async (types: string[], o: DirOption & { origins?: string; all?: boolean }) => {
      const dir = resolve(o.dir);
      const c = await loadConnection(dir);
      if (o.all || types.length > 0 || o.origins !== undefined) {
        const next = { ...c, types: o.all ? [] : types.length > 0 ? types : c.types, origins: o.all ? [] : o.origins !== undefined ? o.origins.split(",").filter(Boolean) : c.origins };
        await saveConnection(dir, next);
        Object.assign(c, next);
      }
      process.stdout.write(`types: ${c.types.length ? c.types.join(", ") : "all"}\norigins: ${c.origins.length ? c.origins.join(", ") : "all"}\n`);
    });
}

function registerStatus(conn: Command): void {
  conn
    .command("status")
    .description("Show the hub this project is connected to, and how far the local mirror has synced.")
    .option("--json", "print JSON")
    .addOption(timeoutOption())
    .addOption(dirOption())
    .action(async (o: DirOption & { json?: boolean }) => {
      const mirror = await Mirror.open(resolve(o.dir));
      const cursor = mirror.cursor;
      await mirror.close();
      await withConnection(o, async (c, conn) => {
        const s = await c.status();
        if (o.json) return void process.stdout.write(toJson({ name: conn.name, peers: conn.peers, mirrorSeq: cursor, hub: s }) + "\n");
        process.stdout.write(`connection: ${conn.name} → ${conn.peers.join(", ")}\nmirror: synced through seq ${cursor} of ${s.commitSeq}\n` + renderStatus(s));
      });
    });
}

/** Registers `synod connection` and its subcommands. */
export function registerConnectionCommands(program: Command): void {
  const conn = program.command("connection").description("Connect a project to a hub: register, publish, listen, sync, subscribe, status.");
  registerRegister(conn);
  registerStatus(conn);
  registerPublish(conn);
  registerListen(conn);
  registerSync(conn);
  registerSubscribe(conn);
}

