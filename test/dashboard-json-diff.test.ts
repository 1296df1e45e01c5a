import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonDiff, preview } from '../dashboard/src/json-diff.js';

describe('dashboard json-diff (the version diff of the call detail)', () => {
  it('finds nothing between equal values, however nested', () => {
    const value = { id: 'a', sessions: [{ id: 's', segments: [{ n: 1, x: null }] }], flag: true };
    assert.deepEqual(jsonDiff(value, structuredClone(value)), []);
  });

  it('names a changed scalar by its path, with the old and new values', () => {
    const before = { version: 1, sessions: [{ id: 's1', endDateTime: '2026-01-01T10:00:00Z' }] };
    const after = { version: 2, sessions: [{ id: 's1', endDateTime: '2026-01-01T10:05:00Z' }] };
    assert.deepEqual(jsonDiff(before, after), [
      { path: 'version', kind: 'changed', before: 1, after: 2 },
      {
        path: 'sessions[0].endDateTime',
        kind: 'changed',
        before: '2026-01-01T10:00:00Z',
        after: '2026-01-01T10:05:00Z',
      },
    ]);
  });

  it('lists added and removed members and array items', () => {
    const changes = jsonDiff({ a: 1, gone: 'x', list: [1, 2] }, { a: 1, list: [1, 2, 3], fresh: { b: 2 } });
    assert.deepEqual(changes, [
      { path: 'gone', kind: 'removed', before: 'x' },
      { path: 'list[2]', kind: 'added', after: 3 },
      { path: 'fresh', kind: 'added', after: { b: 2 } },
    ]);
    assert.deepEqual(jsonDiff([1, 2, 3], [1]), [
      { path: '[1]', kind: 'removed', before: 2 },
      { path: '[2]', kind: 'removed', before: 3 },
    ]);
  });

  it('treats a change of type as one change, and null differs from a missing member', () => {
    assert.deepEqual(jsonDiff({ m: { x: 1 } }, { m: [1] }), [
      { path: 'm', kind: 'changed', before: { x: 1 }, after: [1] },
    ]);
    assert.deepEqual(jsonDiff({ m: null }, {}), [{ path: 'm', kind: 'removed', before: null }]);
    assert.deepEqual(jsonDiff({ m: null }, { m: 0 }), [{ path: 'm', kind: 'changed', before: null, after: 0 }]);
    assert.deepEqual(jsonDiff('1', 1), [{ path: '', kind: 'changed', before: '1', after: 1 }]);
  });

  it('quotes member names that are not plain identifiers (OData annotations)', () => {
    assert.deepEqual(jsonDiff({ 'x@odata.type': 'a' }, { 'x@odata.type': 'b' }), [
      { path: '["x@odata.type"]', kind: 'changed', before: 'a', after: 'b' },
    ]);
  });

  it('previews values as short JSON', () => {
    assert.equal(preview('text'), '"text"');
    assert.equal(preview(undefined), '(none)');
    const long = preview('x'.repeat(500), 20);
    assert.equal(long.length, 20);
    assert.ok(long.endsWith('…'));
  });
});
