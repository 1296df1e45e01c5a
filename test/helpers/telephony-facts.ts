/**
 * Telephony log rows for the telephony analytics tests, and the answers to expect computed straight from them in
 * JavaScript (independently of the SQL): each row's facts by dimension, and each measure over a group of rows.
 */
import type { Json } from './json.js';

/** One ingested row: its kind, the row as posted, and whether its correlationId is an archived call record. */
export interface LogFact {
  kind: 'pstnCalls' | 'directRoutingCalls';
  row: Json;
  hasRecord: boolean;
}

const guid = (n: number, tag: string) => `${tag}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
const USERS = ['11111111-aaaa-4000-8000-000000000001', '11111111-aaaa-4000-8000-000000000002', null];
const SIP = [
  { code: 200, phrase: 'BYE', success: true },
  { code: 404, phrase: 'Not Found', success: false },
  { code: 487, phrase: 'Request Terminated', success: false },
  { code: 200, phrase: 'BYE', success: true },
  { code: 503, phrase: 'Service Unavailable', success: false },
];

/** Rows over 9 days across a week and a month boundary (2025-02-26 … 2025-03-06): PSTN and Direct Routing, varied throughout. */
export function telephonyFacts(recordIds: readonly string[]): LogFact[] {
  const facts: LogFact[] = [];
  for (let i = 0; i < 27; i++) {
    const start = new Date(Date.UTC(2025, 1, 26 + (i % 9), 8 + (i % 7), i, 0));
    const user = USERS[i % 3]!;
    facts.push({
      kind: 'pstnCalls',
      hasRecord: false,
      row: {
        id: guid(i, 'a'),
        callId: `call-${i}`,
        userId: user,
        userPrincipalName: user === null ? null : `user${i % 3}@contoso.com`,
        startDateTime: start.toISOString(),
        endDateTime: new Date(start.getTime() + 60_000).toISOString(),
        duration: (i * 37) % 900,
        charge: (i % 4) * 0.25,
        callType: ['user_in', 'user_out', 'ucap_out'][i % 3],
        currency: i % 5 === 0 ? 'EUR' : 'USD',
        usageCountryCode: i % 8 === 7 ? null : ['US', 'DE', 'FR'][i % 3],
      },
    });
  }
  for (let i = 0; i < 23; i++) {
    const start = new Date(Date.UTC(2025, 1, 26 + ((i * 2) % 9), 9, i, 30));
    const sip = SIP[i % SIP.length]!;
    const linked = i % 4 === 0 && i / 4 < recordIds.length;
    facts.push({
      kind: 'directRoutingCalls',
      hasRecord: linked,
      row: {
        id: guid(i, 'b'),
        correlationId: linked ? recordIds[i / 4] : guid(i, 'c'),
        userId: USERS[i % 2],
        userPrincipalName: `user${i % 2}@contoso.com`,
        startDateTime: start.toISOString(),
        duration: sip.success ? 30 + i * 11 : 0,
        callType: i % 3 === 0 ? 'ByotIn' : 'ByotOut',
        successfulCall: sip.success,
        finalSipCode: sip.code,
        finalSipCodePhrase: sip.phrase,
        trunkFullyQualifiedDomainName: i % 2 === 0 ? 'sbc1.contoso.com' : 'sbc2.contoso.com',
        userCountryCode: i % 3 === 2 ? 'GB' : 'US',
      },
    });
  }
  return facts;
}

type Cell = string | number | boolean | null;

/** A row's value of a dimension, read from the row as Graph documents it. */
export function factValue(fact: LogFact, dimension: string): Cell {
  const r = fact.row;
  const dr = fact.kind === 'directRoutingCalls';
  const day = (r.startDateTime as string).slice(0, 10);
  switch (dimension) {
    case 'source':
      return dr ? 'directRouting' : 'pstn';
    case 'day':
      return day;
    case 'week': {
      const d = new Date(`${day}T00:00:00Z`);
      return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    }
    case 'month':
      return day.slice(0, 7);
    case 'user':
      return r.userId ?? null;
    case 'userPrincipalName':
      return r.userPrincipalName ?? null;
    case 'country':
      return (dr ? r.userCountryCode : r.usageCountryCode) ?? null;
    case 'callType':
      return r.callType ?? null;
    case 'direction':
      return /out$/i.test(r.callType) ? 'outbound' : /in$/i.test(r.callType) ? 'inbound' : null;
    case 'trunk':
      return dr ? r.trunkFullyQualifiedDomainName : null;
    case 'sipCode':
      return dr ? r.finalSipCode : null;
    case 'sipPhrase':
      return dr ? r.finalSipCodePhrase : null;
    case 'successful':
      return dr ? r.successfulCall : null;
    case 'currency':
      return dr ? null : r.currency;
    case 'hasCallRecord':
      return dr ? fact.hasRecord : null;
    default:
      throw new Error(`no fact for ${dimension}`);
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** A measure over a group of rows, as docs/analytics.md "Telephony" defines it. */
export function factMeasure(facts: readonly LogFact[], measure: string): Cell {
  const flags = facts.filter((f) => f.kind === 'directRoutingCalls').map((f) => f.row.successfulCall as boolean);
  const durations = facts.map((f) => f.row.duration as number);
  const charges = facts.filter((f) => f.kind === 'pstnCalls').map((f) => f.row.charge as number);
  switch (measure) {
    case 'calls':
      return facts.length;
    case 'users':
      return new Set(facts.map((f) => f.row.userId).filter((u) => u !== null)).size;
    case 'successfulCalls':
      return flags.filter((s) => s).length;
    case 'failedCalls':
      return flags.filter((s) => !s).length;
    case 'successRate':
      return flags.length === 0 ? null : round((100 * flags.filter((s) => s).length) / flags.length);
    case 'minutes':
      return round(durations.reduce((a, b) => a + b, 0) / 60);
    case 'avgMinutes':
      return round(durations.reduce((a, b) => a + b, 0) / durations.length / 60);
    case 'charge':
      return charges.length === 0 ? null : round(charges.reduce((a, b) => a + b, 0));
    default:
      throw new Error(`no fact for ${measure}`);
  }
}

/** The table to expect: one row per group of `by`, ordered by the dimensions (byte order, nulls last). */
export function expectedTable(facts: readonly LogFact[], by: readonly string[], measures: readonly string[]): Cell[][] {
  const groups = new Map<string, LogFact[]>();
  for (const fact of facts) {
    const key = JSON.stringify(by.map((d) => factValue(fact, d)));
    groups.set(key, [...(groups.get(key) ?? []), fact]);
  }
  const rows = [...groups].map(([key, members]) => [
    ...(JSON.parse(key) as Cell[]),
    ...measures.map((m) => factMeasure(members, m)),
  ]);
  return rows.sort((a, b) => {
    for (let i = 0; i < by.length; i++) {
      const [x, y] = [a[i], b[i]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order = Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
      if (order !== 0) return order;
    }
    return 0;
  });
}
