/** The version rules (docs/api.md, "Version rules") and how completeness is read from a body as received. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMPLETE,
  CUT_SHORT,
  MAX_NEXT_LINK_LENGTH,
  NO_SESSIONS,
  completenessOf,
  type Completeness,
} from '../src/domain/completeness.js';
import { decideVersion, type VersionDecision, type VersionKey } from '../src/domain/version-order.js';

const LINK = 'https://graph.microsoft.com/v1.0/communications/callRecords/x/sessions?$skiptoken=a';
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i) }));

describe('completenessOf', () => {
  const cases: { name: string; input: unknown; expected: Completeness }[] = [
    {
      name: 'sessions and participants, no links',
      input: { sessions: items(3), participants_v2: [] },
      expected: { rank: COMPLETE },
    },
    { name: 'sessions only (a Get with $expand=sessions)', input: { sessions: [] }, expected: { rank: COMPLETE } },
    {
      name: 'sessions cut short',
      input: { sessions: items(60), 'sessions@odata.nextLink': LINK },
      expected: {
        rank: CUT_SHORT,
        missing: '60 of ≥ 61 sessions; follow sessions@odata.nextLink',
        nextLinks: { 'sessions@odata.nextLink': LINK },
      },
    },
    {
      name: 'no sessions (a list-page copy)',
      input: { id: 'x' },
      expected: { rank: NO_SESSIONS, missing: 'no sessions (a list-page copy)' },
    },
    {
      name: 'no sessions and participants cut short: the lowest rank, both said',
      input: { participants_v2: items(130), 'participants_v2@odata.nextLink': LINK },
      expected: {
        rank: NO_SESSIONS,
        missing: 'no sessions (a list-page copy); 130 of ≥ 131 participants_v2; follow participants_v2@odata.nextLink',
        nextLinks: { 'participants_v2@odata.nextLink': LINK },
      },
    },
    {
      name: 'a next link that is not a URL-sized string: cut short, kept as an empty link (an export still says so)',
      input: { sessions: [], 'sessions@odata.nextLink': 'x'.repeat(MAX_NEXT_LINK_LENGTH + 1) },
      expected: {
        rank: CUT_SHORT,
        missing: '0 of ≥ 1 sessions; follow sessions@odata.nextLink',
        nextLinks: { 'sessions@odata.nextLink': '' },
      },
    },
    { name: 'not an object', input: [1], expected: { rank: COMPLETE } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(completenessOf(c.input), c.expected));
});

describe('decideVersion', () => {
  const key = (version: number, completeness: VersionKey['completeness'], hash = 'm'): VersionKey => ({
    version,
    completeness,
    lastModifiedKey: '2024-01-01T00:00:00.0000000Z',
    contentHash: hash,
  });
  const now = (status: VersionDecision['status'], becomesCurrent: boolean): VersionDecision => ({
    status,
    addToHistory: true,
    becomesCurrent,
  });
  const cases: {
    name: string;
    incoming: VersionKey;
    current?: VersionKey;
    known?: boolean;
    expected: VersionDecision;
  }[] = [
    { name: 'a new record', incoming: key(1, NO_SESSIONS), expected: now('inserted', true) },
    {
      name: 'a body already in the history',
      incoming: key(2, COMPLETE),
      current: key(1, COMPLETE),
      known: true,
      expected: { status: 'unchanged', addToHistory: false, becomesCurrent: false },
    },
    {
      name: 'a higher version, even partial',
      incoming: key(2, NO_SESSIONS),
      current: key(1, COMPLETE),
      expected: now('updated', true),
    },
    {
      name: 'a lower version, even whole',
      incoming: key(1, COMPLETE),
      current: key(2, NO_SESSIONS),
      expected: now('stale', false),
    },
    {
      name: 'same version: whole after a list copy',
      incoming: key(3, COMPLETE, 'a'),
      current: key(3, NO_SESSIONS, 'z'),
      expected: now('updated', true),
    },
    {
      name: 'same version: a list copy after the whole body, whatever the hashes',
      incoming: key(3, NO_SESSIONS, 'z'),
      current: key(3, COMPLETE, 'a'),
      expected: now('stale', false),
    },
    {
      name: 'same version: cut short beats no sessions',
      incoming: key(3, CUT_SHORT, 'a'),
      current: key(3, NO_SESSIONS, 'z'),
      expected: now('updated', true),
    },
    {
      name: 'same version and completeness: the larger hash',
      incoming: key(3, COMPLETE, 'b'),
      current: key(3, COMPLETE, 'a'),
      expected: now('updated', true),
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(decideVersion(c.incoming, c.current, c.known ?? false), c.expected));
  }
});
