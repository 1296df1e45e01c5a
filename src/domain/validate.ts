/**
 * The ingest validator: checks one call record against the entity model and normalises it in place.
 *
 * Errors reject the record; warnings keep it. An enum string that is not a member is a warning (the value is kept:
 * Graph adds members over time, https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations), everything else that breaks the model is an error. Normalisation drops
 * response annotations (`@odata.context`, `sessions@odata.nextLink`, …) but keeps `@odata.type`, and writes the
 * `@odata.type` of a userAgent or endpoint that arrives without one when its properties give the type away.
 * Unknown and dynamic (open-type) properties are kept untouched (house style: the Graph JSON is the truth).
 */
import { CALL_RECORD_PLAN, ODATA_TYPE } from './validate-plan.js';
import type { PropertyPlan, TypePlan } from './validate-plan.js';

/** One finding about one value of a record; shown to users as `${path}: ${rule}` (see formatIssue). */
export interface ValidationIssue {
  /** Where the value is, e.g. `sessions[3].segments[0].media[0].streams[1].averageJitter`; `$` is the record. */
  path: string;
  rule: string;
}

/** The outcome of validateCallRecord: the normalised record with its warnings, or every error found. */
export type ValidationResult =
  | { ok: true; record: Record<string, unknown>; warnings: ValidationIssue[]; hasEvolvableMembers: boolean }
  | { ok: false; errors: ValidationIssue[] };

/** The most errors (and, separately, warnings) one validation reports. */
export const MAX_VALIDATION_ISSUES = 50;

/**
 * How deep an unknown or dynamic property's value may nest. JSON.parse accepts any depth, but storing the record
 * (JSON.stringify) recurses, so a pathological value must be refused here rather than crash the write.
 */
export const MAX_UNKNOWN_DEPTH = 64;

// A lone UTF-16 surrogate: such a string cannot be written in a URL, so it cannot be an addressable id.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type JsonObject = Record<string, unknown>;

interface Walk {
  /** Property names and collection indexes from the record down to the current value. */
  readonly path: (string | number)[];
  readonly errors: ValidationIssue[];
  readonly warnings: ValidationIssue[];
  evolvable: boolean;
}

/**
 * Validates and normalises one callRecord as received (already JSON.parse'd). The input is modified in place and
 * returned as `record` when there are no errors.
 */
export function validateCallRecord(input: unknown): ValidationResult {
  const walk: Walk = { path: [], errors: [], warnings: [], evolvable: false };
  visitObject(input, CALL_RECORD_PLAN, walk);
  if (walk.errors.length > 0) return { ok: false, errors: walk.errors };
  return { ok: true, record: input as JsonObject, warnings: walk.warnings, hasEvolvableMembers: walk.evolvable };
}

/** Returns the text users see for an issue: `path: rule`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path}: ${issue.rule}`;
}

function visitObject(value: unknown, declared: TypePlan, walk: Walk): void {
  if (!isObject(value)) return report(walk.errors, walk, 'expected an object');
  const type = resolveType(value, declared, walk);
  if (type === undefined) return;
  for (const key in value) {
    if (walk.errors.length >= MAX_VALIDATION_ISSUES) return;
    if (key.includes('@')) {
      // Instance and property annotations describe one response, not the record (https://learn.microsoft.com/graph/api/callrecords-callrecord-get examples).
      if (key.endsWith('@odata.nextLink') && key !== '@odata.nextLink') {
        reportAt(walk.warnings, walk, key, 'the source cut this collection short; only the items present are stored');
      }
      if (key !== ODATA_TYPE) delete value[key];
      continue;
    }
    const item = value[key];
    const prop = type.properties.get(key);
    if (prop !== undefined) {
      walk.path.push(key);
      visitProperty(item, prop, walk);
      walk.path.pop();
    } else if (type.dynamicObjects && item !== null && !isObject(item)) {
      reportAt(walk.errors, walk, key, 'expected an object');
    } else if (nestsDeeperThan(item, MAX_UNKNOWN_DEPTH)) {
      reportAt(walk.errors, walk, key, `nested deeper than ${MAX_UNKNOWN_DEPTH} levels`);
    }
  }
  if (typeof value.id === 'string' && LONE_SURROGATE.test(value.id)) {
    reportAt(walk.errors, walk, 'id', 'not well-formed Unicode (a lone surrogate)');
  }
  for (const name of type.required) {
    if (value[name] === undefined) reportAt(walk.errors, walk, name, 'required property is missing');
  }
}

function visitProperty(value: unknown, prop: PropertyPlan, walk: Walk): void {
  if (value === null) {
    if (!prop.nullable) report(walk.errors, walk, 'must not be null');
  } else if (!prop.collection) {
    visitValue(value, prop, walk);
  } else if (!Array.isArray(value)) {
    report(walk.errors, walk, 'expected an array');
  } else {
    for (let i = 0; i < value.length && walk.errors.length < MAX_VALIDATION_ISSUES; i++) {
      const item: unknown = value[i];
      walk.path.push(i);
      if (item === null) report(walk.errors, walk, 'must not be null');
      else visitValue(item, prop, walk);
      walk.path.pop();
    }
  }
}

function visitValue(value: unknown, prop: PropertyPlan, walk: Walk): void {
  const plan = prop.value;
  if (plan.kind === 'structured') {
    visitObject(value, plan.type, walk);
  } else if (plan.kind === 'primitive') {
    const rule = plan.check(value);
    if (rule !== undefined) report(walk.errors, walk, rule);
  } else if (typeof value !== 'string') {
    report(walk.errors, walk, 'expected a string');
  } else if (!plan.members.has(value)) {
    report(walk.warnings, walk, `'${value}' is not a member of ${plan.display}`);
  } else if (plan.evolvable.has(value)) {
    walk.evolvable = true;
  }
}

/** Returns the type to validate a value with, from its `@odata.type` or by inference; undefined after an error. */
function resolveType(value: JsonObject, declared: TypePlan, walk: Walk): TypePlan | undefined {
  const sent = value[ODATA_TYPE];
  if (sent === undefined) return declared.inference === undefined ? declared : infer(value, declared, walk);
  if (typeof sent !== 'string') {
    reportAt(walk.errors, walk, ODATA_TYPE, 'expected a string');
    return undefined;
  }
  const type = declared.accepts.get(sent);
  if (type === undefined)
    report(walk.errors, walk, `'${sent}' is not one of the allowed types: ${declared.acceptsList}`);
  return type;
}

function infer(value: JsonObject, declared: TypePlan, walk: Walk): TypePlan {
  const matches = (declared.inference ?? []).filter((c) => c.keys.some((k) => Object.hasOwn(value, k)));
  const only = matches.length === 1 ? matches[0] : undefined;
  if (only !== undefined) {
    setTypeFirst(value, only.type.odataType);
    return only.type;
  }
  if (declared.abstract) {
    report(walk.warnings, walk, `@odata.type is missing and cannot be inferred for abstract type ${declared.display}`);
  }
  return declared;
}

/** Adds `@odata.type` as the first key, where Graph puts it, without replacing the object. */
function setTypeFirst(value: JsonObject, odataType: string): void {
  const entries = Object.entries(value);
  for (const [key] of entries) delete value[key];
  value[ODATA_TYPE] = odataType;
  for (const [key, item] of entries) value[key] = item;
}

// Recursion is bounded by `limit`, so this is safe on any input.
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const item of Object.values(value)) if (nestsDeeperThan(item, limit - 1)) return true;
  return false;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function report(list: ValidationIssue[], walk: Walk, rule: string): void {
  if (list.length < MAX_VALIDATION_ISSUES) list.push({ path: formatPath(walk.path), rule });
}

function reportAt(list: ValidationIssue[], walk: Walk, key: string, rule: string): void {
  walk.path.push(key);
  report(list, walk, rule);
  walk.path.pop();
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '$' : out;
}
