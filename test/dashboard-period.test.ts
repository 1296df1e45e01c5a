import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, daysOf, isDay, periodOf } from '../dashboard/src/period.js';

const NOW = new Date('2026-11-30T15:00:00Z');
const period = (query: string): { from: string; to: string } => periodOf(new URLSearchParams(query), NOW);

describe('the period a dashboard URL names (dashboard/src/period.ts)', () => {
  it('is the 30 days up to and including today without one', () => {
    assert.deepEqual(period(''), { from: '2026-11-01', to: '2026-12-01' });
  });

  it('takes from and to as written (to exclusive)', () => {
    assert.deepEqual(period('from=2026-09-01&to=2026-10-01'), { from: '2026-09-01', to: '2026-10-01' });
    assert.deepEqual(period('to=2026-03-01'), { from: '2026-01-30', to: '2026-03-01' });
  });

  it('ignores what is not a real day, and a from not before to, instead of failing', () => {
    for (const [query, expected] of [
      ['to=2026-13-45', { from: '2026-11-01', to: '2026-12-01' }],
      ['from=2026-02-30&to=2026-03-10', { from: '2026-02-08', to: '2026-03-10' }],
      ['from=2026-10-01&to=2026-09-01', { from: '2026-08-02', to: '2026-09-01' }],
      ['from=yesterday', { from: '2026-11-01', to: '2026-12-01' }],
      ['from=2026-9-1', { from: '2026-11-01', to: '2026-12-01' }],
    ] as const) {
      assert.deepEqual(period(query), expected, query);
    }
  });

  it('knows real days, leap years included', () => {
    assert.equal(isDay('2024-02-29'), true);
    assert.equal(isDay('2026-02-29'), false);
    assert.equal(isDay('2026-04-31'), false);
    assert.equal(isDay(null), false);
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.deepEqual(daysOf({ from: '2026-02-27', to: '2026-03-02' }), ['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
