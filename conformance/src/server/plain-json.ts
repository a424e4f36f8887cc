/**
 * Outcome values are plain JSON so YAML expectations compare them exactly: 64-bit
 * integers become decimal strings (as in the protobuf JSON mapping), and protobuf
 * messages become their JSON mapping with every field present.
 */
import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

/** A JSON value (what outcomes are made of). */
export type PlainJson = null | boolean | number | string | PlainJson[] | { [key: string]: PlainJson };

/**
 * `value` with every `bigint` replaced by its decimal string, recursively through
 * arrays and plain objects; `undefined` members are dropped. The one place outcomes
 * turn 64-bit numbers into text.
 */
export function plainJson(value: unknown): PlainJson {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === "object") {
    const out: { [key: string]: PlainJson } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== "$typeName") out[k] = plainJson(v);
    return out;
  }
  return null;
}

/**
 * A protobuf message as its JSON mapping (lowerCamelCase names, 64-bit integers as
 * decimal strings, enums by name, timestamps as RFC 3339), with fields at their
 * default value included, so `duplicate: false` and `seq: "0"` can be expected.
 */
export function messageJson<D extends DescMessage>(schema: D, message: MessageShape<D>): PlainJson {
  return toJson(schema, message, { alwaysEmitImplicit: true }) as PlainJson;
}
