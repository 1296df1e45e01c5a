import type { DashboardConfig } from '../../src/dashboard/dashboard-config.js';

export type { DashboardConfig };

/** The configuration the server wrote into the page shell (src/dashboard/dashboard-assets.ts, renderShell). */
export function readConfig(): DashboardConfig {
  const element = document.getElementById('callrecords-config');
  if (element?.textContent == null) return { version: '', auth: { modes: [] } };
  return JSON.parse(element.textContent) as DashboardConfig;
}
