// Bundles @synod/sdk/web for browsers (ESM, minified) into dist/synod-web.js,
// prints its raw and gzipped size, and fails if any `node:` import slipped in
// (DESIGN §2: the SDK is browser-safe outside sdk/src/node).
import { build } from "esbuild";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(sdkDir, "dist", "synod-web.js");
mkdirSync(dirname(outfile), { recursive: true });

const result = await build({
  entryPoints: [join(sdkDir, "src", "web", "index.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});

const code = readFileSync(outfile);
const text = code.toString("utf8");
const nodeImports = Object.keys(result.metafile.inputs).filter((p) => p.startsWith("node:"));
if (nodeImports.length > 0 || /["']node:[a-z_/]+["']/.test(text)) {
  console.error(`synod-web.js must not import node: modules (found: ${nodeImports.join(", ") || "in output"})`);
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`dist/synod-web.js  raw ${kb(code.length)}  gzip ${kb(gzipSync(code, { level: 9 }).length)}`);
