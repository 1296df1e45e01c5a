// Builds the web dashboard (dashboard/, issue 13) into dist/web/: one minified script and one stylesheet, each
// named after a hash of its content (served with a year's cache), gzip and brotli copies of each, the page shell with
// their names filled in, and manifest.json listing them for the server (src/dashboard/dashboard-assets.ts). Run by
// `npm run build`, so `npm ci` (its `prepare`) ships a built dashboard; no CDN, nothing fetched at run time.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');

const script = await build({
  entryPoints: [join(root, 'dashboard', 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  write: false,
});
const css = ['node_modules/uplot/dist/uPlot.min.css', 'dashboard/styles.css']
  .map((file) => readFileSync(join(root, file), 'utf8'))
  .join('\n');
const styles = await build({ stdin: { contents: css, loader: 'css' }, minify: true, write: false });

const hashed = (prefix, ext, text) =>
  `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.${ext}`;
const assets = {
  [hashed('app', 'js', script.outputFiles[0].text)]: {
    type: 'text/javascript; charset=utf-8',
    text: script.outputFiles[0].text,
  },
  [hashed('app', 'css', styles.outputFiles[0].text)]: {
    type: 'text/css; charset=utf-8',
    text: styles.outputFiles[0].text,
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = { shell: 'index.html', assets: {} };
let shell = readFileSync(join(root, 'dashboard', 'index.html'), 'utf8');
for (const [name, { type, text }] of Object.entries(assets)) {
  const body = Buffer.from(text);
  writeFileSync(join(out, name), body);
  writeFileSync(join(out, `${name}.gz`), gzipSync(body, { level: 9 }));
  writeFileSync(
    join(out, `${name}.br`),
    brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  manifest.assets[name] = { type };
  shell = shell.replace(name.endsWith('.js') ? '%APP_JS%' : '%APP_CSS%', `/assets/${name}`);
}
writeFileSync(join(out, 'index.html'), shell);
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
