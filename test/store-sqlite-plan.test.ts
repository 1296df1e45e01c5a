/** The list filters are answered from indexes, not by scanning the table (asserted on SQLite's query plan). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';

let store: SqliteStore;
before(async () => (store = await SqliteStore.open(':memory:')));
after(() => store.close());

const WINDOW = [
  { op: 'ge' as const, value: '2024-01-01T00:00:00.0000000Z' },
  { op: 'lt' as const, value: '2024-02-01T00:00:00.0000000Z' },
];

test('a startDateTime window is a range search on the start index', () => {
  const plan = store.explainList({ start: WINDOW, limit: 61 }).join('\n');
  assert.match(plan, /SEARCH call_records USING INDEX call_records_by_start \(start_key>\? AND start_key<\?\)/);
  assert.doesNotMatch(plan, /SCAN call_records|TEMP B-TREE/);
});

test('the next page seeks past the cursor on the same index', () => {
  const plan = store
    .explainList({ start: WINDOW, after: { startKey: '2024-01-05T00:00:00.0000000Z', id: 'x' }, limit: 61 })
    .join('\n');
  assert.match(plan, /USING INDEX call_records_by_start/);
  assert.doesNotMatch(plan, /SCAN call_records|TEMP B-TREE/);
});

test('a participant filter pages along the participant index, without sorting', () => {
  const plan = store
    .explainList({
      start: WINDOW,
      participantId: 'user-1',
      after: { startKey: '2024-01-05T00:00:00.0000000Z', id: 'x' },
      limit: 61,
    })
    .join('\n');
  assert.match(
    plan,
    /SEARCH participants USING COVERING INDEX participants_by_participant \(participant_id=\? AND start_key>\? AND start_key<\?\)/,
  );
  // Each match is one lookup of its record (by id, or by start key and id: both unique).
  assert.match(
    plan,
    /SEARCH c USING INDEX (sqlite_autoindex_call_records_1 \(id=\?\)|call_records_by_start \(start_key=\? AND id=\?\))/,
  );
  assert.doesNotMatch(plan, /TEMP B-TREE|SCAN call_records|SCAN participants/);
});
