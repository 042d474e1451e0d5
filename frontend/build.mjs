// Builds the panel's bundle into the integration (HACS installs need no Node).
// `node build.mjs --check` builds in memory and fails when the committed bundle
// differs from what the sources build to, so a stale bundle cannot be merged.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = path.resolve(
  here,
  "../custom_components/neighborhood_requests/panel/www/neighborhood-requests-panel.js",
);
const check = process.argv.includes("--check");
// `--bundle PATH` checks another copy (the tests prove a stale one fails).
const bundleAt = process.argv.indexOf("--bundle");
const committedFile = bundleAt > 0 ? path.resolve(process.argv[bundleAt + 1]) : outfile;

const result = await build({
  entryPoints: [path.join(here, "src/panel.ts")],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  charset: "utf8",
  loader: { ".css": "text" },
  outfile,
  write: !check,
  logLevel: "warning",
});

if (check) {
  const built = result.outputFiles[0].contents;
  let committed;
  try {
    committed = readFileSync(committedFile);
  } catch {
    committed = Buffer.alloc(0);
  }
  if (Buffer.compare(Buffer.from(built), committed) !== 0) {
    console.error(
      `panel bundle: ${path.relative(process.cwd(), committedFile)} is not what frontend/src builds to; run \`npm --prefix frontend run build\` and commit it`,
    );
    process.exit(1);
  }
  console.log(`panel bundle: up to date (${built.length} bytes)`);
}
