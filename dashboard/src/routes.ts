import { breakdownPage } from './pages/breakdown.js';
import { callDetailPage } from './pages/call-detail.js';
import { callsPage } from './pages/calls.js';
import { collectorPage } from './pages/collector.js';
import { locationsPage } from './pages/locations.js';
import { overviewPage } from './pages/overview.js';
import type { Route } from './router.js';

/** The dashboard's pages by path; the server answers the shell at the same paths (src/http/dashboard-routes.ts). */
export const ROUTES: readonly Route[] = [
  { pattern: '/overview', page: overviewPage },
  { pattern: '/breakdown', page: breakdownPage },
  { pattern: '/locations', page: locationsPage },
  { pattern: '/calls', page: callsPage },
  { pattern: '/calls/:id', page: callDetailPage },
  { pattern: '/collector', page: collectorPage },
];
