// Builds the preview bundle into the Python package, the same bytes from the same lockfile.
//   npm ci && npm run build
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const three = JSON.parse(readFileSync("node_modules/three/package.json", "utf8")).version;
const outdir = "../src/pointe/export/preview_assets";

await build({
  entryPoints: { preview: "src/main.ts" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  platform: "browser",
  legalComments: "eof",
  charset: "utf8",
  sourcemap: false,
  outdir,
  banner: { js: `/* pointe preview; bundles three.js ${three} (MIT) */` },
  define: { POINTE_THREE_VERSION: JSON.stringify(three) },
  logLevel: "info",
});
