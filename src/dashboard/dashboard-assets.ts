import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DashboardConfig } from './dashboard-config.js';

/** Where `npm run build` (scripts/build-dashboard.mjs) writes the bundle: dist/web/ at the package root (src/dashboard compiles to dist/dashboard). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** One built file, held in memory with its compressed forms (a few hundred KB in all). */
export interface DashboardAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/** The built dashboard: the page shell (with a placeholder for the configuration) and the hashed assets. */
export interface DashboardBundle {
  shell: string;
  assets: ReadonlyMap<string, DashboardAsset>;
}

/** What scripts/build-dashboard.mjs lists in dist/web/manifest.json. */
interface Manifest {
  shell: string;
  assets: Record<string, { type: string }>;
}

/** Reads the bundle `npm run build` made, or undefined when it was never built (a checkout without `npm ci`). */
export function readDashboardBundle(dir = DASHBOARD_DIR): DashboardBundle | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  const assets = new Map<string, DashboardAsset>();
  for (const [name, { type }] of Object.entries(manifest.assets)) {
    assets.set(name, {
      type,
      body: readFileSync(`${dir}/${name}`),
      gzip: readFileSync(`${dir}/${name}.gz`),
      br: readFileSync(`${dir}/${name}.br`),
    });
  }
  return { shell: readFileSync(`${dir}/${manifest.shell}`, 'utf8'), assets };
}

let built: DashboardBundle | undefined | null = null;

/** The bundle in DASHBOARD_DIR, read once per process (every app of a test run shares it). */
export function builtDashboard(): DashboardBundle | undefined {
  if (built === null) built = readDashboardBundle();
  return built;
}

/** The placeholder the build leaves in the shell for the server's configuration. */
const CONFIG_PLACEHOLDER = '<!--callrecords-config-->';

/**
 * The shell with the configuration written in as a JSON data block (not a script: the CSP allows no inline script).
 * `<` is escaped so that no value can close the element.
 */
export function renderShell(shell: string, config: DashboardConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return shell.replace(CONFIG_PLACEHOLDER, `<script type="application/json" id="callrecords-config">${json}</script>`);
}
