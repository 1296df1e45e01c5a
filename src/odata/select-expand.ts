/**
 * `$select` and `$expand` values, validated against what a resource allows (https://learn.microsoft.com/graph/api/callrecords-callrecord-get, https://learn.microsoft.com/graph/api/callrecords-callrecord-list-sessions, https://learn.microsoft.com/graph/api/callrecords-callrecord-list-participants_v2).
 *
 * Grammar (names matched case-insensitively and returned in their canonical spelling):
 *
 *   select     = item *( "," item )                   ; item = property name or "*", whitespace around it ignored
 *   expand     = expandItem *( "," expandItem )
 *   expandItem = navigation [ "(" option *( ";" option ) ")" ]
 *   option     = "$select=" select / "$expand=" expand   ; each at most once per item
 */
import { AppError, type ErrorCode } from '../errors.js';
import { SYSTEM_QUERY_OPTIONS } from './system-query-options.js';

/** The navigations a resource lets `$expand` name, each with what may be selected and expanded below it. */
export interface ExpandRules {
  [navigation: string]: { select?: ReadonlySet<string>; expand?: ExpandRules };
}

/** One parsed `$expand` item: the canonical navigation name and its nested `$select` / `$expand`. */
export interface ExpandItem {
  name: string;
  select?: string[];
  expand?: ExpandItem[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*|\*/y;
const OPTION_NAME = /\$[A-Za-z]+/y;

/**
 * Parses a decoded `$select` value into canonical property names (duplicates dropped; `*` stands for every allowed
 * property). Throws `invalidQueryOption` for an empty list or item and for a property outside `allowed`;
 * `label` names the option in messages (`$select`, or the `$expand` item it sits in).
 */
export function parseSelect(value: string, allowed: ReadonlySet<string>, label = '$select'): string[] {
  const names = value.split(',').map((item) => item.trim());
  if (names.length === 1 && names[0] === '') throw selectError(label, 'the list of properties is empty');
  const selected = new Set<string>();
  for (const name of names) {
    if (name === '') throw selectError(label, 'the list contains an empty property name');
    if (name === '*') {
      for (const property of allowed) selected.add(property);
      continue;
    }
    const property = resolveName(name, allowed);
    if (property === undefined) {
      throw selectError(label, `property '${name}' cannot be selected; selectable: ${[...allowed].join(', ')}`);
    }
    selected.add(property);
  }
  return [...selected];
}

/**
 * Parses a decoded `$expand` value against `rules`. Throws `invalidQueryOption` for bad syntax, an unknown
 * navigation or a repeated one, and `notSupported` for `*`, for options other than `$select`/`$expand` inside
 * parentheses, and for more than one top-level item: Graph expands one relationship at a time (https://learn.microsoft.com/graph/api/callrecords-callrecord-get).
 */
export function parseExpand(value: string, rules: ExpandRules): ExpandItem[] {
  const parser = new ExpandParser(value);
  const items = parser.list(rules, 'here');
  parser.expectEnd();
  if (items.length > 1) {
    const names = items.map((item) => item.name).join(', ');
    throw expandError('notSupported', `only one relationship can be expanded at a time, not ${names}`);
  }
  return items;
}

class ExpandParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  list(rules: ExpandRules, where: string): ExpandItem[] {
    const items: ExpandItem[] = [];
    for (;;) {
      const start = this.skipSpace();
      const item = this.item(rules, where);
      if (items.some((seen) => seen.name === item.name)) {
        throw expandError('invalidQueryOption', `'${item.name}' is expanded more than once`, start);
      }
      items.push(item);
      if (this.text[this.skipSpace()] !== ',') return items;
      this.pos++;
    }
  }

  expectEnd(): void {
    if (this.skipSpace() < this.text.length) this.fail('a comma or the end of the value');
  }

  private item(rules: ExpandRules, where: string): ExpandItem {
    const start = this.pos;
    const name = this.match(NAME);
    const expandable = Object.keys(rules);
    if (name === undefined) this.fail('a navigation property name');
    if (name === '*') {
      throw expandError('notSupported', `'*' is not supported; expandable: ${expandable.join(', ')}`, start);
    }
    const navigation = resolveName(name, expandable);
    const rule = navigation === undefined ? undefined : rules[navigation];
    if (navigation === undefined || rule === undefined) {
      const detail = `'${name}' cannot be expanded ${where}; expandable: ${expandable.join(', ') || 'none'}`;
      throw expandError('invalidQueryOption', detail, start);
    }
    const item: ExpandItem = { name: navigation };
    if (this.text[this.skipSpace()] === '(') {
      this.pos++;
      this.options(item, rule);
    }
    return item;
  }

  private options(item: ExpandItem, rule: ExpandRules[string]): void {
    const seen = new Set<string>();
    for (;;) {
      const start = this.skipSpace();
      const option = this.match(OPTION_NAME);
      if (option === undefined) this.fail(`$select or $expand inside '${item.name}(…)'`);
      const key = option.toLowerCase();
      if (this.text[this.skipSpace()] !== '=') this.fail(`'=' after '${option}'`);
      this.pos++;
      if (seen.has(key))
        throw expandError('invalidQueryOption', `'${option}' appears twice in '${item.name}(…)'`, start);
      seen.add(key);
      if (key === '$select' && rule.select !== undefined) {
        const end = this.text.slice(this.pos).search(/[;)]/);
        const stop = end === -1 ? this.text.length : this.pos + end;
        item.select = parseSelect(this.text.slice(this.pos, stop), rule.select, `$expand (${item.name}/$select)`);
        this.pos = stop;
      } else if (key === '$expand' && rule.expand !== undefined) {
        item.expand = this.list(rule.expand, `inside '${item.name}'`);
      } else if (SYSTEM_QUERY_OPTIONS.has(key)) {
        throw expandError('notSupported', `'${option}' is not supported inside '${item.name}(…)'`, start);
      } else {
        throw expandError('invalidQueryOption', `unknown query option '${option}' inside '${item.name}(…)'`, start);
      }
      const separator = this.text[this.skipSpace()];
      if (separator !== ';' && separator !== ')') this.fail(`';' or ')' in '${item.name}(…)'`);
      this.pos++;
      if (separator === ')') return;
    }
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private skipSpace(): number {
    while (/\s/.test(this.text.charAt(this.pos))) this.pos++;
    return this.pos;
  }

  private fail(expected: string): never {
    const found = this.pos < this.text.length ? `'${this.text.charAt(this.pos)}'` : 'the end of the value';
    throw expandError('invalidQueryOption', `expected ${expected} but found ${found}`, this.pos);
  }
}

/** The canonical spelling of `name` among `candidates`: an exact match first, else a case-insensitive one. */
function resolveName(name: string, candidates: Iterable<string>): string | undefined {
  let folded: string | undefined;
  for (const candidate of candidates) {
    if (candidate === name) return candidate;
    if (folded === undefined && candidate.toLowerCase() === name.toLowerCase()) folded = candidate;
  }
  return folded;
}

function selectError(label: string, detail: string): AppError {
  return new AppError('invalidQueryOption', `Invalid ${label}: ${detail}.`);
}

function expandError(code: ErrorCode, detail: string, pos?: number): AppError {
  return new AppError(code, `Invalid $expand${pos === undefined ? '' : ` at position ${pos}`}: ${detail}.`);
}
