/**
 * The RPCs a fake server can be scripted for, by the name a case uses. HubService
 * methods keep their proto names; ClusterService methods get a `Cluster` prefix so
 * the two `Status` RPCs stay apart (`Status` is HubService.Status, `ClusterStatus` is
 * ClusterService.Status).
 */
import type { DescMessage, DescMethod } from "@bufbuild/protobuf";
import { ClusterService } from "@synod/proto/cluster";
import { HubService } from "@synod/proto/hub";

/** RPCs a case may script, with the answers each accepts. */
export const scriptableMethods = ["Append", "Read", "Listen", "Status", "Register", "Revoke", "List", "ClusterStatus"] as const;

/** One of {@link scriptableMethods}. */
export type ScriptableMethod = (typeof scriptableMethods)[number];

/** Methods whose `ok: auto` the fake servers compute (see auto-answer.ts). */
export const autoMethods: ReadonlySet<ScriptableMethod> = new Set(["Append", "Read", "Status", "Register", "ClusterStatus"]);

/** A served RPC: the name cases and recorded requests use, and its descriptor. */
export interface FakeMethod {
  /** `Append`, `Listen`, `ClusterStatus`, … */
  readonly name: string;
  readonly desc: DescMethod;
  readonly input: DescMessage;
  readonly output: DescMessage;
  /** True for server-streaming RPCs (`Listen`, `ClusterWatchStatus`, `ClusterBackup`). */
  readonly streaming: boolean;
}

/**
 * Every RPC of HubService and ClusterService. The fake servers serve all of them so
 * that a request to an unscripted method is recorded (and answered `unimplemented`)
 * rather than lost in a 404.
 */
export const fakeMethods: readonly FakeMethod[] = [
  ...HubService.methods.map((m) => describe(m, m.name)),
  ...ClusterService.methods.map((m) => describe(m, `Cluster${m.name}`)),
];

function describe(desc: DescMethod, name: string): FakeMethod {
  return { name, desc, input: desc.input, output: desc.output, streaming: desc.methodKind === "server_streaming" };
}

/** True when `name` is a method a case may script. */
export function isScriptableMethod(name: string): name is ScriptableMethod {
  return (scriptableMethods as readonly string[]).includes(name);
}

/** The served RPC called `name`. @throws Error for a name that is not served. */
export function fakeMethod(name: string): FakeMethod {
  const m = fakeMethods.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no RPC named ${name}`);
  return m;
}
