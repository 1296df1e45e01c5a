/**
 * The `$filter` subset that List callRecords supports (https://learn.microsoft.com/graph/api/callrecords-cloudcommunications-list-callrecords), parsed into data — never into SQL text.
 *
 * Grammar (keywords and property names case-insensitive, whitespace between tokens optional where unambiguous):
 *
 *   filter       = conjunction END
 *   conjunction  = term *( "and" term )
 *   term         = "(" conjunction ")" / startTerm / anyTerm
 *   startTerm    = "startDateTime" rangeOp dateTime
 *   rangeOp      = "lt" / "le" / "gt" / "ge"
 *   dateTime     = dateTimeOffset / "'" dateTimeOffset "'"       ; 2023-09-25T09:25:00Z, …T10:25:00+01:00
 *   anyTerm      = "participants_v2" "/" "any" "(" var ":" var "/" "id" "eq" string ")"   ; same var twice
 *   string       = "'" *( any character except "'" / "''" ) "'"
 *
 * At most one anyTerm. Errors carry the 0-based position in the decoded value. A recognisable OData construct that
 * this subset leaves out (`or`, `not`, `eq` on startDateTime, another property, a function, `all`) is `notSupported`;
 * anything that is not OData at all (stray characters, a bad literal, unbalanced parentheses) is `invalidQueryOption`.
 */
import { toSortableUtc } from '../domain/datetime.js';
import { holdsNul } from '../domain/json-text-rules.js';
import { describeToken, filterError, tokenizeFilter, type Token } from './filter-lexer.js';

/** A comparison operator allowed on startDateTime. */
export type RangeOp = 'lt' | 'le' | 'gt' | 'ge';

/** A parsed `$filter`: every startDateTime bound (sortable UTC, in request order) and the participant id, if any. */
export interface RecordFilter {
  start: Array<{ op: RangeOp; value: string }>;
  participantId?: string;
}

const RANGE_OPS: ReadonlySet<string> = new Set(['lt', 'le', 'gt', 'ge']);
const OTHER_COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'has', 'in']);
// Parentheses nest by recursion; a bound keeps a hostile `((((…` from exhausting the stack.
const MAX_DEPTH = 32;

/** Parses a decoded `$filter` value into a RecordFilter, or throws an AppError naming `$filter` and a position. */
export function parseFilter(source: string): RecordFilter {
  return new FilterParser(tokenizeFilter(source)).parse();
}

class FilterParser {
  private index = 0;
  private readonly filter: RecordFilter = { start: [] };

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): RecordFilter {
    if (this.peek().kind === 'end') throw filterError('invalidQueryOption', 'the expression is empty', 0);
    this.conjunction(0);
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.unexpectedAfterTerm(rest, 'the end of the expression');
    return this.filter;
  }

  private conjunction(depth: number): void {
    this.term(depth);
    while (isWord(this.peek(), 'and')) {
      this.next();
      this.term(depth);
    }
  }

  private term(depth: number): void {
    const token = this.next();
    if (token.kind === '(') {
      if (depth >= MAX_DEPTH) throw filterError('invalidQueryOption', 'parentheses nested too deeply', token.pos);
      this.conjunction(depth + 1);
      const close = this.next();
      if (close.kind !== ')') throw this.unexpectedAfterTerm(close, "')'");
      return;
    }
    if (isWord(token, 'startDateTime')) return this.startTerm();
    if (isWord(token, 'participants_v2')) return this.anyTerm(token);
    if (isWord(token, 'not')) throw filterError('notSupported', "'not' is not supported", token.pos);
    if (token.kind === 'word' && this.peek().kind === '(') {
      throw filterError('notSupported', `function '${token.text}' is not supported`, token.pos);
    }
    if (token.kind === 'word') {
      throw filterError('notSupported', `filtering on '${token.text}' is not supported`, token.pos);
    }
    throw filterError('invalidQueryOption', `expected a condition but found ${describeToken(token)}`, token.pos);
  }

  private startTerm(): void {
    const op = this.next();
    const name = op.kind === 'word' ? op.text.toLowerCase() : '';
    if (!RANGE_OPS.has(name)) {
      if (OTHER_COMPARISONS.has(name)) {
        throw filterError(
          'notSupported',
          `'${op.text}' is not supported on startDateTime, only lt, le, gt and ge`,
          op.pos,
        );
      }
      const detail = `expected lt, le, gt or ge after 'startDateTime' but found ${describeToken(op)}`;
      throw filterError('invalidQueryOption', detail, op.pos);
    }
    const literal = this.next();
    const isLiteral = literal.kind === 'literal' || literal.kind === 'string';
    const value = isLiteral ? toSortableUtc(literal.value) : undefined;
    if (value === undefined) {
      const detail = isLiteral
        ? `${describeToken(literal)} is not a valid DateTimeOffset such as 2023-09-25T09:25:00Z`
        : `expected a DateTimeOffset such as 2023-09-25T09:25:00Z but found ${describeToken(literal)}`;
      throw filterError('invalidQueryOption', detail, literal.pos);
    }
    this.filter.start.push({ op: name as RangeOp, value });
  }

  private anyTerm(property: Token): void {
    this.expect('/', "'/' after 'participants_v2'");
    const lambda = this.next();
    if (isWord(lambda, 'all')) throw filterError('notSupported', "'all' is not supported, only 'any'", lambda.pos);
    if (!isWord(lambda, 'any')) this.fail(lambda, "'any' after 'participants_v2/'");
    if (this.filter.participantId !== undefined) {
      throw filterError('notSupported', 'only one participants_v2/any(…) condition is supported', property.pos);
    }
    this.expect('(', "'(' after 'any'");
    const variable = this.next();
    if (variable.kind === ')')
      throw filterError('notSupported', 'any() without a condition is not supported', variable.pos);
    if (variable.kind !== 'word') this.fail(variable, 'a lambda variable name such as p');
    this.expect(':', `':' after '${variable.text}'`);
    const ref = this.next();
    if (ref.kind !== 'word' || ref.text !== variable.text) this.fail(ref, `'${variable.text}/id'`);
    this.expect('/', `'/' after '${variable.text}'`);
    const id = this.next();
    if (!isWord(id, 'id')) {
      if (id.kind === 'word')
        throw filterError(
          'notSupported',
          `filtering participants on '${id.text}' is not supported, only on 'id'`,
          id.pos,
        );
      this.fail(id, `'id' after '${variable.text}/'`);
    }
    const op = this.next();
    if (!isWord(op, 'eq')) {
      if (op.kind === 'word')
        throw filterError('notSupported', `'${op.text}' is not supported on participant id, only 'eq'`, op.pos);
      this.fail(op, "'eq'");
    }
    const literal = this.next();
    if (literal.kind !== 'string') this.fail(literal, "a quoted string such as '821809f5-0000-0000-0000-3b5136c0e777'");
    const close = this.next();
    if (isWord(close, 'and') || isWord(close, 'or')) {
      throw filterError('notSupported', 'only one condition is supported inside any()', close.pos);
    }
    if (close.kind !== ')') this.fail(close, "')' to close any(");
    if (holdsNul(literal.value)) {
      throw filterError('invalidQueryOption', 'a participant id cannot hold U+0000', literal.pos);
    }
    this.filter.participantId = literal.value;
  }

  private unexpectedAfterTerm(token: Token, alternative: string) {
    if (isWord(token, 'or'))
      return filterError('notSupported', "'or' is not supported, combine conditions with 'and'", token.pos);
    return filterError(
      'invalidQueryOption',
      `expected 'and' or ${alternative} but found ${describeToken(token)}`,
      token.pos,
    );
  }

  private expect(kind: Token['kind'], what: string): void {
    const token = this.next();
    if (token.kind !== kind) this.fail(token, what);
  }

  private fail(token: Token, expected: string): never {
    throw filterError('invalidQueryOption', `expected ${expected} but found ${describeToken(token)}`, token.pos);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }
}

function isWord(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === word.toLowerCase();
}
