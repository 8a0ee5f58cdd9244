// Builds plotly-partial.min.js: plotly.js's core with only the trace types listed in bundle.json, minified.
// Run here with `npm ci && npm run build` (node 20+); it rewrites the file and records its size and sha256 in
// bundle.json. The static edition uses it only while bundle.json's plotly.js version is the one the installed
// plotly package ships and every chart's trace type is listed (deploy/static/plotly_js.py).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "package.json"));
const recorded = JSON.parse(readFileSync(join(here, "bundle.json"), "utf8"));
const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).devDependencies["plotly.js"];
const installed = require("plotly.js/package.json").version;

if (installed !== recorded["plotly.js"] || pinned !== recorded["plotly.js"]) {
  console.error(`plotly.js: bundle.json says ${recorded["plotly.js"]}, package.json pins ${pinned}, ` +
                `node_modules holds ${installed}: make them agree (then npm ci) before building`);
  process.exit(1);
}

// The same as plotly.js's own dist bundles (lib/index-*.js): the core, then the trace modules and the components
// registered. Every dist bundle registers the calendars component; without it a figure's state lacks its
// (default, gregorian) calendar attributes, so with it a chart's state is the full bundle's exactly.
const modules = [...recorded.traces, ...recorded.components];
const entry = [
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${modules.map((t) => `require('plotly.js/lib/${t}')`).join(", ")}]);`,
  "module.exports = Plotly;",
].join("\n");

const banner = `/*! plotly.js v${installed} (partial: ${modules.join(", ")}) | MIT licence: LICENSE beside this file */`;
const result = await esbuild.build({
  stdin: { contents: entry, resolveDir: here, sourcefile: "entry.js" },
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",     // window.Plotly, as the full bundle defines it
  target: "es2016",
  // From plotly.js's esbuild-config.js. Its glsl plugin and regl/stream aliases serve the WebGL traces only; its
  // inline-CSS plugin serves one stylesheet, maplibre's, required only when a map trace is registered: with no map
  // trace here, that require is given an empty module instead of 60 kB of CSS that would never be used.
  define: { global: "window", "define.amd": "false" },
  loader: { ".css": "empty" },
  banner: { js: banner },
  legalComments: "eof",     // the licences of the bundled dependencies stay in the file
  write: false,
  logLevel: "warning",
});

const code = result.outputFiles[0].contents;
if (!Buffer.from(code).toString("utf8").includes(`version="${installed}"`)) {
  console.error("the built bundle does not carry its plotly.js version: not written");
  process.exit(1);
}
writeFileSync(join(here, recorded.file), code);
recorded.bytes = code.length;
recorded.sha256 = createHash("sha256").update(code).digest("hex");
writeFileSync(join(here, "bundle.json"), JSON.stringify(recorded, null, 2) + "\n");
console.log(`wrote ${recorded.file}: plotly.js ${installed} with ${modules.join(", ")}, ` +
            `${(code.length / 1e6).toFixed(2)} MB, sha256 ${recorded.sha256}`);
