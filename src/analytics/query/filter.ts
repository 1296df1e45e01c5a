/**
 * The `filter` of an analytics query: a small grammar of comparisons joined by `and`/`or`, kept apart from the Graph
 * `$filter` parser (src/odata), whose grammar is Graph's and not this API's:
 *
 *     filter     := or
 *     or         := and ('or' and)*
 *     and        := unary ('and' unary)*
 *     unary      := 'not' unary | '(' or ')' | comparison
 *     comparison := name ('eq'|'ne'|'gt'|'ge'|'lt'|'le') literal | name 'in' '(' literal (',' literal)* ')'
 *     literal    := 'text' ('' inside is one quote) | number | yyyy-mm-dd | true | false | null
 *
 * Keywords are case-insensitive; names are checked by the caller against the dimensions (query-request.ts).
 */

/** A literal value of a filter. A date literal is its `yyyy-mm-dd` text. */
export type FilterValue = string | number | boolean | null;

/** A comparison operator. */
export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A parsed filter. */
export type FilterNode =
  | { kind: 'compare'; name: string; op: FilterOp; value: FilterValue }
  | { kind: 'in'; name: string; values: FilterValue[] }
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode };

/** A filter that is not in the grammar; `message` says where and why. */
export class FilterSyntaxError extends Error {}

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'literal'; value: FilterValue; at: number }
  | { type: 'punct'; text: '(' | ')' | ','; at: number };

const OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const TOKEN =
  /\s*(?:(')((?:[^']|'')*)'|(\d{4}-\d{2}-\d{2})(?![\w:])|(-?\d+(?:\.\d+)?)(?![\w.-])|([A-Za-z_][A-Za-z0-9_]*)|([(),]))/y;

/** Splits a filter into tokens, or throws FilterSyntaxError at the first character that starts none. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) {
      const rest = text.slice(at).trimStart();
      const where = text.length - rest.length;
      if (rest.startsWith("'")) throw new FilterSyntaxError(`unterminated text literal at position ${where + 1}`);
      throw new FilterSyntaxError(`unexpected '${rest.slice(0, 12)}' at position ${where + 1}`);
    }
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) tokens.push({ type: 'literal', value: m[2]!.replaceAll("''", "'"), at: start });
    else if (m[3] !== undefined) tokens.push({ type: 'literal', value: validDate(m[3], start), at: start });
    else if (m[4] !== undefined) tokens.push({ type: 'literal', value: Number(m[4]), at: start });
    else if (m[5] !== undefined) tokens.push(wordToken(m[5], start));
    else tokens.push({ type: 'punct', text: m[6] as '(' | ')' | ',', at: start });
  }
  return tokens;
}

function wordToken(text: string, at: number): Token {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return { type: 'literal', value: lower === 'true', at };
  if (lower === 'null') return { type: 'literal', value: null, at };
  return { type: 'word', text, at };
}

function validDate(text: string, at: number): string {
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new FilterSyntaxError(`'${text}' at position ${at + 1} is not a date`);
  }
  return text;
}

/** Parses a filter; throws FilterSyntaxError naming the position of the first mistake. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const where = () => (pos < tokens.length ? `at position ${tokens[pos]!.at + 1}` : 'at the end');
  const keyword = (word: string) => {
    const t = peek();
    return t?.type === 'word' && t.text.toLowerCase() === word;
  };
  const expectPunct = (p: '(' | ')' | ',') => {
    const t = peek();
    if (t?.type !== 'punct' || t.text !== p) throw new FilterSyntaxError(`expected '${p}' ${where()}`);
    pos++;
  };
  const literal = (): FilterValue => {
    const t = peek();
    if (t?.type !== 'literal') throw new FilterSyntaxError(`expected a value ${where()}`);
    pos++;
    return t.value;
  };
  const joined = (kind: 'and' | 'or', next: () => FilterNode): FilterNode => {
    const items = [next()];
    while (keyword(kind)) {
      pos++;
      items.push(next());
    }
    return items.length === 1 ? items[0]! : { kind, items };
  };
  const or = (): FilterNode => joined('or', and);
  const and = (): FilterNode => joined('and', unary);
  const unary = (): FilterNode => {
    if (keyword('not')) {
      pos++;
      return { kind: 'not', item: unary() };
    }
    const t = peek();
    if (t?.type === 'punct' && t.text === '(') {
      pos++;
      const inner = or();
      expectPunct(')');
      return inner;
    }
    if (t?.type !== 'word') throw new FilterSyntaxError(`expected a name ${where()}`);
    pos++;
    const op = peek();
    if (op?.type === 'word' && op.text.toLowerCase() === 'in') {
      pos++;
      expectPunct('(');
      const values = [literal()];
      while (peek()?.type === 'punct' && (peek() as { text: string }).text === ',') {
        pos++;
        values.push(literal());
      }
      expectPunct(')');
      return { kind: 'in', name: t.text, values };
    }
    if (op?.type !== 'word' || !OPS.has(op.text.toLowerCase())) {
      throw new FilterSyntaxError(`expected an operator (eq, ne, gt, ge, lt, le, in) after '${t.text}' ${where()}`);
    }
    pos++;
    return { kind: 'compare', name: t.text, op: op.text.toLowerCase() as FilterOp, value: literal() };
  };
  if (tokens.length === 0) throw new FilterSyntaxError('the filter is empty');
  const node = or();
  if (pos < tokens.length) throw new FilterSyntaxError(`unexpected '${describe(tokens[pos]!)}' ${where()}`);
  return node;
}

function describe(t: Token): string {
  return t.type === 'literal' ? String(t.value) : t.text;
}

/** Every name a filter compares, in order of appearance. */
export function filterNames(node: FilterNode): string[] {
  switch (node.kind) {
    case 'compare':
    case 'in':
      return [node.name];
    case 'not':
      return filterNames(node.item);
    default:
      return node.items.flatMap(filterNames);
  }
}
