/**
 * Reads case files and checks them against the JSON schema before anything runs:
 * a case with a typo fails loudly with its file and path, never silently passes.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import type { ConformanceCase } from "./case-types.js";

/** The folder of the schema files shipped with the suite. */
export const schemaDir = fileURLToPath(new URL("../../schema/", import.meta.url));
/** The folder of the suite's own cases. */
export const casesDir = fileURLToPath(new URL("../../cases/", import.meta.url));

const schemaFiles = ["case.v1.schema.json", "ops-core.v1.schema.json", "ops-server.v1.schema.json", "ops-client.v1.schema.json"];

/** A case file that could not be used, with every reason. */
export class CaseFileError extends Error {}

let validator: ValidateFunction | undefined;

/** The compiled schema of a case (compiled once per process). */
export async function caseValidator(): Promise<ValidateFunction> {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const f of schemaFiles) ajv.addSchema(JSON.parse(await readFile(join(schemaDir, f), "utf8")) as object, f);
  const v = ajv.getSchema("case.v1.schema.json");
  if (!v) throw new Error("the case schema did not compile");
  validator = v;
  return v;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  const lines = (errors ?? [])
    .filter((e) => e.keyword !== "if" && e.keyword !== "allOf")
    .map((e) => `  ${e.instancePath || "(case)"}: ${e.message ?? e.keyword}${e.keyword === "propertyNames" ? ` (${JSON.stringify(e.params)})` : ""}`);
  return [...new Set(lines)].slice(0, 12).join("\n");
}

/**
 * Parses and validates one case.
 * @throws CaseFileError naming the file and every schema violation.
 */
export async function parseCase(text: string, file: string): Promise<ConformanceCase> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new CaseFileError(`${file}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const validate = await caseValidator();
  if (!validate(doc)) throw new CaseFileError(`${file}: does not match the case schema:\n${describe(validate.errors)}`);
  return { ...(doc as Omit<ConformanceCase, "file">), file };
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * Loads every `*.yaml` case under `dir` (recursively).
 * @throws CaseFileError listing every bad file and every duplicated id.
 */
export async function loadCases(dir: string = casesDir): Promise<ConformanceCase[]> {
  const problems: string[] = [];
  const cases: ConformanceCase[] = [];
  const seen = new Map<string, string>();
  for (const file of await yamlFiles(dir)) {
    const shown = relative(process.cwd(), file);
    try {
      const c = await parseCase(await readFile(file, "utf8"), shown);
      const first = seen.get(c.id);
      if (first) problems.push(`${shown}: id ${c.id} is also used by ${first}`);
      seen.set(c.id, shown);
      cases.push(c);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length > 0) throw new CaseFileError(problems.join("\n"));
  return cases;
}
