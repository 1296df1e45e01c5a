/**
 * The organisation behind generated records, drawn once from the seed: a home tenant with sites and their subnets,
 * employees with their computers, phones and headsets, meeting rooms, people of partner tenants, and the Teams
 * services that appear as call endpoints. The same seed always gives the same directory, so a person keeps one id,
 * name and device across every record.
 */
import { pickWeighted, type Weighted } from './distributions.js';
import type { JsonObject } from './graph-values.js';
import { clientAgent, SERVICE_AGENTS, type ServiceKind } from './user-agents.js';
import type { SeededRandom } from './seeded-random.js';

/** A Microsoft Entra tenant. */
export interface Tenant {
  id: string;
  domain: string;
}

/** An office: its subnets (each a /24) and the public address its traffic leaves from. */
export interface Site {
  name: string;
  subnets: readonly string[];
  egressIp: string;
}

/** One device a person calls from. */
export interface ClientDevice {
  platform: string;
  agent: JsonObject;
  name: string;
  cpuName: string;
  cpuCoresCount: number;
  cpuProcessorSpeedInMhz: number;
  captureDeviceName: string;
  renderDeviceName: string;
}

/** Someone who takes part in calls: an employee, a meeting room, or a person of a partner tenant. */
export interface Person {
  id: string;
  displayName: string;
  userPrincipalName: string;
  tenantId: string;
  kind: 'employee' | 'room' | 'partner';
  /** The office the person works at; partners have none. */
  site: Site | undefined;
  /** The share of the person's calls made away from the office. */
  remoteShare: number;
  computer: ClientDevice;
  phone: ClientDevice | undefined;
}

/** The generated organisation. */
export interface Directory {
  home: Tenant;
  employees: readonly Person[];
  rooms: readonly Person[];
  partners: readonly Person[];
  services: Readonly<Record<ServiceKind, JsonObject>>;
}

const EMPLOYEES = 640;
const ROOMS = 18;
const PARTNERS_PER_TENANT = 16;

const FIRST = [
  'Abbie',
  'Owen',
  'Priya',
  'Lars',
  'Mei',
  'Tomasz',
  'Aisha',
  'Diego',
  'Hanna',
  'Kwame',
  'Noor',
  'Sofia',
  'Jonas',
  'Amara',
  'Ravi',
  'Elena',
  'Marek',
  'Yuki',
  'Fatima',
  'Liam',
  'Chloe',
  'Mateo',
  'Ingrid',
  'Tariq',
  'Zoe',
  'Kenji',
  'Olga',
  'Samuel',
  'Leila',
  'Bruno',
  'Anika',
  'Pedro',
  'Grace',
  'Henrik',
  'Ines',
  'Dmitri',
  'Nadia',
  'Oscar',
];
const LAST = [
  'Wilkins',
  'Franklin',
  'Nair',
  'Berg',
  'Chen',
  'Nowak',
  'Okafor',
  'Ruiz',
  'Virtanen',
  'Mensah',
  'Silva',
  'Kowalski',
  'Tanaka',
  'Haddad',
  'Fischer',
  'Murphy',
  'Rossi',
  'Johansson',
  'Patel',
  'Novak',
  'Dubois',
  'Larsen',
  'Kim',
  'Moreau',
  'Schmidt',
  'Costa',
  'Eriksen',
  'Ahmed',
  'Lopez',
  'Walsh',
  'Ivanova',
  'Santos',
  'Meyer',
  'Bakker',
];
const SITES: readonly (readonly [string, number])[] = [
  ['Seattle HQ', 8],
  ['London', 4],
  ['Munich', 3],
  ['Bangalore', 4],
  ['Sao Paulo', 2],
];
const PARTNER_DOMAINS = ['fabrikam.com', 'northwindtraders.com', 'adventure-works.com'];
const COMPUTER_PLATFORMS: Weighted<string> = [
  ['windows', 70],
  ['macOS', 24],
  ['web', 6],
];
const PHONE_PLATFORMS: Weighted<string> = [
  ['iOS', 55],
  ['android', 45],
];
const HEADSETS: Weighted<readonly [string, string]> = [
  [['Microphone (Jabra Evolve2 65)', 'Speakers (Jabra Evolve2 65)'], 22],
  [['Headset Microphone (Poly Voyager Focus 2)', 'Headset Earphone (Poly Voyager Focus 2)'], 15],
  [['Microphone Array (Realtek(R) Audio)', 'Speakers (Realtek(R) Audio)'], 18],
  [['MacBook Pro Microphone', 'MacBook Pro Speakers'], 14],
  [['Echo Cancelling Speakerphone (Jabra Speak 510)', 'Echo Cancelling Speakerphone (Jabra Speak 510)'], 8],
  [['Microphone (Logitech Zone Wireless)', 'Headphones (Logitech Zone Wireless)'], 10],
  [['AirPods Pro', 'AirPods Pro'], 8],
  [['Microphone (USB Audio Device)', 'Speakers (USB Audio Device)'], 5],
];
const CPUS: Weighted<readonly [string, number, number]> = [
  [['Intel(R) Core(TM) i7-1265U', 10, 1800], 30],
  [['Intel(R) Core(TM) i5-1345U', 10, 1600], 25],
  [['Apple M2', 8, 3490], 15],
  [['Apple M3 Pro', 12, 4050], 8],
  [['AMD Ryzen 7 PRO 6850U', 8, 2700], 12],
  [['Intel(R) Core(TM) i7-8650U', 4, 1900], 10],
];
const ROOM_KITS = ['Logitech Rally', 'Poly Studio X50', 'Yealink MeetingBar A30', 'Microsoft Surface Hub 2S'];

/** Draws the organisation from `rng`; call it first, before any record, so it depends on the seed only. */
export function createDirectory(rng: SeededRandom): Directory {
  const home: Tenant = { id: rng.guid(), domain: 'contoso.com' };
  const sites = SITES.map(([name, subnetCount], s): Site => {
    const subnets = Array.from({ length: subnetCount }, (_, k) => `10.${10 + s * 10}.${k * 4 + rng.int(0, 3)}.0`);
    return { name, subnets, egressIp: `131.107.${s * 16 + rng.int(0, 15)}.${rng.int(1, 254)}` };
  });
  const used = new Set<string>();
  const person = (kind: Person['kind'], tenant: Tenant, site: Site | undefined): Person => {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let upn = `${first}.${last}@${tenant.domain}`.toLowerCase();
    for (let n = 2; used.has(upn); n++) upn = `${first}.${last}${n}@${tenant.domain}`.toLowerCase();
    used.add(upn);
    return {
      id: rng.guid(),
      displayName: `${first} ${last}`,
      userPrincipalName: upn,
      tenantId: tenant.id,
      kind,
      site,
      remoteShare: kind === 'employee' ? rng.float(0.05, 0.8) : 0,
      computer: clientDevice(rng, pickWeighted(rng, COMPUTER_PLATFORMS), kind === 'partner'),
      phone: kind === 'employee' && rng.chance(0.8) ? clientDevice(rng, pickWeighted(rng, PHONE_PLATFORMS)) : undefined,
    };
  };
  const employees = Array.from({ length: EMPLOYEES }, () =>
    person('employee', home, pickWeighted(rng, siteWeights(sites))),
  );
  const rooms = Array.from({ length: ROOMS }, (_, i) => room(rng, home, sites[i % sites.length]!, i));
  const partners = PARTNER_DOMAINS.flatMap((domain) => {
    const tenant: Tenant = { id: rng.guid(), domain };
    return Array.from({ length: PARTNERS_PER_TENANT }, () => person('partner', tenant, undefined));
  });
  return { home, employees, rooms, partners, services: SERVICE_AGENTS };
}

function siteWeights(sites: readonly Site[]): Weighted<Site> {
  return sites.map((site, i) => [site, SITES[i]![1]] as const);
}

function clientDevice(rng: SeededRandom, platform: string, partner = false): ClientDevice {
  const mobile = platform === 'iOS' || platform === 'android';
  const [cpuName, cpuCoresCount, cpuProcessorSpeedInMhz] = mobile
    ? (['ARMv8', 8, 2800] as const)
    : pickWeighted(rng, CPUS);
  const [capture, render] = mobile ? ['Default Microphone', 'Default Speaker'] : pickWeighted(rng, HEADSETS);
  return {
    platform,
    agent: clientAgent(rng, platform, partner),
    name: mobile ? `${platform === 'iOS' ? 'iPhone' : 'Android'}-${rng.digits(4)}` : `DESKTOP-${rng.digits(6)}`,
    cpuName,
    cpuCoresCount,
    cpuProcessorSpeedInMhz,
    captureDeviceName: capture,
    renderDeviceName: render,
  };
}

function room(rng: SeededRandom, home: Tenant, site: Site, i: number): Person {
  const kit = rng.pick(ROOM_KITS);
  const platform = kit.includes('Surface Hub') ? 'surfaceHub' : 'roomSystem';
  const name = `${site.name} Room ${i + 1}`;
  return {
    id: rng.guid(),
    displayName: name,
    userPrincipalName: `room-${i + 1}@${home.domain}`,
    tenantId: home.id,
    kind: 'room',
    site,
    remoteShare: 0,
    computer: {
      platform,
      agent: clientAgent(rng, platform),
      name: `MTR-${rng.digits(5)}`,
      cpuName: 'Intel(R) Core(TM) i5-1145G7E',
      cpuCoresCount: 4,
      cpuProcessorSpeedInMhz: 2600,
      captureDeviceName: `Microphone (${kit})`,
      renderDeviceName: `Speakers (${kit})`,
    },
    phone: undefined,
  };
}
