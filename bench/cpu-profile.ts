/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and summarises where the time went: the functions with the
 * most self time, the project functions with the most inclusive time, and the share of each area (project code,
 * each npm package, Node internals, native built-ins such as JSON.parse, garbage collection, idle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function (or area) and the time spent in it. */
export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the non-idle time, 0–1. */
  share: number;
}

/** What a profile says, ready to print. */
export interface ProfileSummary {
  /** Profiled time without `(idle)`, in milliseconds. */
  busyMs: number;
  idleMs: number;
  /** Every function by self time, highest first. */
  self: ProfileEntry[];
  /** Every project function (compiled `dist/`) by inclusive time, highest first. */
  inclusive: ProfileEntry[];
  /** Self time by area: `project`, `npm:<package>`, `node`, `native`, `gc`, `program`. */
  areas: ProfileEntry[];
}

/** Below this ratio to its floor, a benchmark profiles the path it measured (when profiling is on). */
export const PROFILE_BELOW_RATIO = 0.5;

const PROJECT_MARKER = '/dist/';

/** Summarises the one `.cpuprofile` in `dir` (node writes one per process). */
export function summariseProfileDir(dir: string): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  return summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
}

/** The summed share of the entries whose name matches `pattern` (0–1). */
export function shareOf(entries: readonly ProfileEntry[], pattern: RegExp): number {
  return entries.filter((e) => pattern.test(e.name)).reduce((sum, e) => sum + e.share, 0);
}

function summariseProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const callerOf = (node: ProfileNode) => byId.get(parent.get(node.id) ?? -1);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // The time until the next sample belongs to this sample's function.
    const us = timeDeltas[i + 1] ?? 0;
    const node = byId.get(samples[i]!);
    if (node === undefined) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    add(self, label(node, callerOf), us);
    add(areas, area(node), us);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      if (!frame.callFrame.url.includes(PROJECT_MARKER)) continue;
      const name = label(frame, callerOf);
      if (!seen.has(name)) add(inclusive, name, us);
      seen.add(name);
    }
  }
  const rank = (m: Map<string, number>): ProfileEntry[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    self: rank(self),
    inclusive: rank(inclusive),
    areas: rank(areas),
  };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/**
 * `functionName file:line`, with paths cut to what a reader recognises (`dist/…`, `pkg/…`, `node:…`). A native frame
 * without a name is labelled by its caller (`(native) in byteLength node:buffer:770`), or it says nothing.
 */
function label(node: ProfileNode, callerOf: (node: ProfileNode) => ProfileNode | undefined): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '' && url === '') {
    const caller = callerOf(node);
    return caller === undefined ? '(native)' : `(native) in ${label(caller, callerOf)}`;
  }
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name.startsWith('(') ? name : `${name} (native)`;
  return `${name} ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  const inDist = path.indexOf('/dist/');
  if (inDist >= 0) return path.slice(inDist + 1);
  return path;
}

function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'program';
  if (url === '') return 'native';
  if (url.startsWith('node:')) return 'node';
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return url.includes('/dist/') ? 'project' : 'other';
}
