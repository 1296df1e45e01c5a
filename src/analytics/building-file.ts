/**
 * CQD's building (network) file (https://learn.microsoft.com/microsoftteams/cqd-upload-tenant-building-data): CSV or
 * TSV, no header, 14 or 15 columns — NetworkIP, NetworkName, NetworkRange, BuildingName, OwnershipType, BuildingType,
 * BuildingOfficeType, City, ZipCode, Country, State, Region, InsideCorp, ExpressRoute[, VPN]. A file is taken whole
 * or refused whole: every problem is reported with its line number.
 */

/** One network of the building file. */
export interface Building {
  networkIp: string;
  networkName: string;
  networkRange: number;
  buildingName: string;
  ownershipType: string;
  buildingType: string;
  buildingOfficeType: string;
  city: string;
  zipCode: string;
  country: string;
  state: string;
  region: string;
  insideCorp: boolean;
  expressRoute: boolean;
  vpn: boolean;
}

/** A problem on one line of a building file. */
export interface BuildingFileProblem {
  line: number;
  message: string;
}

/** The outcome of reading a building file: its networks, or every problem found (then nothing may be applied). */
export type BuildingFileResult = { ok: true; buildings: Building[] } | { ok: false; problems: BuildingFileProblem[] };

/** The smallest and largest prefix length CQD accepts. */
export const MIN_RANGE = 8;
export const MAX_RANGE = 28;

/** Reads and validates a building file's text (TSV when its first line holds a tab, else CSV; blank lines skipped). */
export function parseBuildingFile(text: string): BuildingFileResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const separator = first.includes('\t') ? '\t' : ',';
  const problems: BuildingFileProblem[] = [];
  const buildings: Building[] = [];
  const lineOf: number[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const cells = splitLine(raw, separator).map((c) => c.trim());
    if (cells.length !== 14 && cells.length !== 15) {
      problems.push({ line, message: `expected 14 or 15 columns, found ${cells.length}` });
      return;
    }
    const building = toBuilding(cells, (message) => problems.push({ line, message }));
    if (building !== undefined) {
      buildings.push(building);
      lineOf.push(line);
    }
  });
  problems.push(...overlaps(buildings, lineOf));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  if (buildings.length === 0) return { ok: false, problems: [{ line: 1, message: 'the file holds no network' }] };
  return { ok: true, buildings };
}

function toBuilding(cells: string[], problem: (message: string) => void): Building | undefined {
  const [ip, name, range, building, ownership, type, office, city, zip, country, state, region] = cells as [
    string,
    ...string[],
  ];
  let ok = true;
  const address = ipv4ToNumber(ip);
  const prefix = /^\d+$/.test(range!) ? Number(range) : NaN;
  if (address === undefined) {
    problem(`NetworkIP '${ip}' is not an IPv4 address`);
    ok = false;
  }
  if (!(prefix >= MIN_RANGE && prefix <= MAX_RANGE)) {
    problem(`NetworkRange '${range}' is outside ${MIN_RANGE}–${MAX_RANGE}`);
    ok = false;
  } else if (address !== undefined && (address & ~maskOf(prefix)) !== 0) {
    problem(`NetworkIP '${ip}' is not the first address of a /${prefix} network`);
    ok = false;
  }
  const flags = [12, 13, 14].map((i) => {
    const cell = cells[i];
    if (cell === undefined || cell === '') return i === 14 ? false : undefined;
    if (cell === '0' || cell === '1') return cell === '1';
    return undefined;
  });
  ['InsideCorp', 'ExpressRoute', 'VPN'].forEach((column, i) => {
    if (flags[i] === undefined) {
      problem(`${column} '${cells[12 + i] ?? ''}' must be 0 or 1`);
      ok = false;
    }
  });
  if (!ok) return undefined;
  return {
    networkIp: ip,
    networkName: name!,
    networkRange: prefix,
    buildingName: building!,
    ownershipType: ownership!,
    buildingType: type!,
    buildingOfficeType: office!,
    city: city!,
    zipCode: zip!,
    country: country!,
    state: state!,
    region: region!,
    insideCorp: flags[0]!,
    expressRoute: flags[1]!,
    vpn: flags[2]!,
  };
}

// Sorted by first address, a network overlaps another exactly when it starts before the previous one ends.
function overlaps(buildings: Building[], lineOf: number[]): BuildingFileProblem[] {
  const spans = buildings
    .map((b, i) => ({ ...spanOf(b), line: lineOf[i]!, text: `${b.networkIp}/${b.networkRange}` }))
    .sort((a, b) => a.start - b.start || a.line - b.line);
  const problems: BuildingFileProblem[] = [];
  let widest: (typeof spans)[number] | undefined;
  for (const span of spans) {
    if (widest !== undefined && span.start <= widest.end) {
      const kind = span.start === widest.start && span.end === widest.end ? 'duplicates' : 'overlaps';
      problems.push({ line: span.line, message: `subnet ${span.text} ${kind} ${widest.text} on line ${widest.line}` });
    }
    if (widest === undefined || span.end > widest.end) widest = span;
  }
  return problems;
}

/** The first and last address (as numbers) of a building's network. */
export function spanOf(b: Pick<Building, 'networkIp' | 'networkRange'>): { start: number; end: number } {
  const start = ipv4ToNumber(b.networkIp)!;
  return { start, end: start + 2 ** (32 - b.networkRange) - 1 };
}

/** An IPv4 address in dotted form as an unsigned 32-bit number; undefined for anything else. */
export function ipv4ToNumber(text: string | null | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = Number(m[i]);
    if (part > 255) return undefined;
    n = n * 256 + part;
  }
  return n;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

// One line's cells: split on the separator, a double-quoted cell may hold it ("" is a quote).
function splitLine(line: string, separator: string): string[] {
  if (!line.includes('"')) return line.split(separator);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
