// Bundles the storefront widget (public/embed/main.ts) into public/build/embed.js and reports
// its gzipped size, which is what a blog visitor actually downloads. The small scripts of the
// store's own pages (public/checkout/*.ts) are bundled next to it, since the server serves
// public/build at /assets and nothing else builds them. Every built script's sha384 goes into
// public/build/integrity.json, from which the payment pages render `integrity` attributes.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'public', 'build');
const outfile = join(outdir, 'embed.js');
const budget = 12 * 1024;

const common = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2019'],
  minify: true,
  // A separate map without a sourceMappingURL comment: browsers never request it, developers can load it by hand.
  sourcemap: 'external',
  legalComments: 'none',
  // Non-ASCII stays escaped (esbuild's default): host pages without a charset would garble it.
  logLevel: 'warning',
};

async function pageScripts() {
  const dir = join(root, 'public', 'checkout');
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts')).map((name) => join(dir, name));
}

try {
  await build({ ...common, entryPoints: [join(root, 'public', 'embed', 'main.ts')], outfile });
  const pages = await pageScripts();
  if (pages.length > 0) await build({ ...common, entryPoints: pages, outdir });
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}

// Subresource Integrity of every script served at /assets (and /embed.js), keyed by its URL path.
const built = (await readdir(outdir)).filter((name) => name.endsWith('.js')).sort();
const integrity = {};
for (const name of built) {
  const digest = createHash('sha384')
    .update(await readFile(join(outdir, name)))
    .digest('base64');
  integrity[name === 'embed.js' ? '/embed.js' : `/assets/${name}`] = `sha384-${digest}`;
}
await writeFile(join(outdir, 'integrity.json'), `${JSON.stringify({ scripts: integrity }, null, 2)}\n`);

const code = await readFile(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`${relative(root, outfile)}: ${kib(code.length)} minified, ${kib(gzipped)} gzipped (budget ${kib(budget)})`);
if (gzipped > budget) {
  console.error(`The widget is over its ${kib(budget)} gzipped budget.`);
  process.exit(1);
}
