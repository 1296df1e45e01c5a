/**
 * Validation of one telephony log row against its row type (v1.0 and beta properties alike,
 * https://learn.microsoft.com/graph/api/resources/callrecords-pstncalllogrow and siblings). Every declared property
 * is nullable; a value of the wrong type is an error, an enum string that is not a member a warning (kept as sent:
 * Graph's own example writes `"Blocked"`). Unknown properties are kept untouched, as for call records. A row whose
 * function filters on a time must carry that time, or no window could ever return it.
 */
import { isDateTimeOffset } from '../domain/datetime.js';
import { allProperties, findType, type PropertyDef } from '../domain/model.js';
import type { ValidationIssue } from '../domain/validate.js';
import { MAX_ID_LENGTH } from '../domain/validate-plan.js';
import type { LogKind } from './log-kinds.js';

/** The outcome of validating a row: the row (unchanged) with warnings, or every error found. */
export type LogRowValidation =
  { ok: true; row: Record<string, unknown>; warnings: ValidationIssue[] } | { ok: false; errors: ValidationIssue[] };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const propertiesByType = new Map<string, ReadonlyMap<string, PropertyDef>>();

/** The properties a row type declares in any API version (beta's first, v1.0's own added). */
function propertiesOf(rowType: string): ReadonlyMap<string, PropertyDef> {
  let props = propertiesByType.get(rowType);
  if (props === undefined) {
    const merged = new Map<string, PropertyDef>();
    for (const version of ['beta', 'v1.0'] as const) {
      if (findType(rowType, version) === undefined) continue;
      for (const [name, def] of allProperties(rowType, version)) if (!merged.has(name)) merged.set(name, def);
    }
    props = merged;
    propertiesByType.set(rowType, props);
  }
  return props;
}

/** Validates one row of `kind`; the row is returned as it came (nothing is rewritten). */
export function validateLogRow(kind: LogKind, value: unknown): LogRowValidation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '$', rule: `must be a JSON object (a ${kind.rowType})` }] };
  }
  const row = value as Record<string, unknown>;
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  for (const [name, def] of propertiesOf(kind.rowType)) {
    const v = row[name];
    if (v === undefined || v === null) continue;
    const problem = checkValue(def, v, warnings, name);
    if (problem !== undefined) errors.push({ path: name, rule: problem });
  }
  if (kind.timeProperty !== undefined && typeof row[kind.timeProperty] !== 'string') {
    errors.push({ path: kind.timeProperty, rule: `is required: ${kind.fn} selects rows by it` });
  }
  if (kind.hasId && row.id !== undefined && row.id !== null) {
    if (row.id === '' || (typeof row.id === 'string' && row.id.length > MAX_ID_LENGTH)) {
      errors.push({ path: 'id', rule: `must be a non-empty string of at most ${MAX_ID_LENGTH} characters` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, row, warnings };
}

function checkValue(def: PropertyDef, v: unknown, warnings: ValidationIssue[], path: string): string | undefined {
  if (def.collection) {
    if (!Array.isArray(v)) return `must be an array (${def.type})`;
    for (const [i, item] of v.entries()) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return `[${i}] must be an object`;
      const id = (item as Record<string, unknown>).id;
      if (id !== undefined && id !== null && typeof id !== 'string') return `[${i}].id must be a string`;
    }
    return undefined;
  }
  switch (def.type) {
    case 'Edm.String':
      return typeof v === 'string' ? undefined : 'must be a string';
    case 'Edm.Boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'Edm.Int32':
      return Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX
        ? undefined
        : 'must be a 32-bit integer';
    case 'Edm.Decimal':
    case 'Edm.Double':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
    case 'Edm.DateTimeOffset':
      return typeof v === 'string' && isDateTimeOffset(v) ? undefined : 'must be an ISO 8601 date-time with a zone';
  }
  const type = findType(def.type, 'beta');
  if (type?.kind === 'enum') {
    if (typeof v !== 'string') return `must be a string (${type.name})`;
    if (!type.members.some((m) => m.toLowerCase() === v.toLowerCase())) {
      warnings.push({ path, rule: `'${v}' is not a member of ${type.name} (kept as sent)` });
    }
  }
  return undefined;
}
