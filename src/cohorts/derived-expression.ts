/**
 * The language of `derivedOutcomes`: one value computed from one student's own row, nothing else.
 * An analyst's text is parsed here by a small grammar of our own (a whitelist, not a filter of
 * DuckDB's SQL): column references, literals, arithmetic, comparisons, AND/OR/NOT, IS NULL,
 * BETWEEN, IN over literals, CASE, CAST to a number or boolean type and a few numeric functions.
 * A subquery, a table, an aggregate or window function, a set operation or a string builder cannot
 * be written in it. What runs in the sandbox is SQL printed back from the parsed tree (see
 * derived-expression-sql.ts), never the analyst's text, so DuckDB cannot read it another way. The parser is derived-expression-parser.ts.
 */

/** What an expression computes or a column holds. */
export type ValueType = 'number' | 'boolean' | 'text';

/**
 * The per-student columns an expression may read (the sandbox's table has these and the group,
 * period and school code, which are not the analyst's to read).
 */
export const EXPRESSION_COLUMNS: Readonly<Record<string, ValueType>> = Object.freeze({
  attended_days: 'number',
  required_days: 'number',
  absent_days: 'number',
  excused_days: 'number',
  long_term_absent: 'boolean',
  score: 'number',
  app_minutes: 'number',
  grade: 'text',
  sex: 'text',
  special_needs: 'boolean',
  school_type: 'text',
});

/** The functions an expression may call: numeric, one value in, one value out. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, { min: number; max: number; args: 'number' | 'same' }>> =
  Object.freeze({
    abs: { min: 1, max: 1, args: 'number' },
    sign: { min: 1, max: 1, args: 'number' },
    floor: { min: 1, max: 1, args: 'number' },
    ceil: { min: 1, max: 1, args: 'number' },
    sqrt: { min: 1, max: 1, args: 'number' },
    ln: { min: 1, max: 1, args: 'number' },
    exp: { min: 1, max: 1, args: 'number' },
    round: { min: 1, max: 2, args: 'number' },
    power: { min: 2, max: 2, args: 'number' },
    least: { min: 2, max: 16, args: 'number' },
    greatest: { min: 2, max: 16, args: 'number' },
    coalesce: { min: 2, max: 16, args: 'same' },
    nullif: { min: 2, max: 2, args: 'same' },
  });

/** CAST targets, by the name an analyst writes, to the name printed. */
export const CAST_TYPES: Readonly<Record<string, 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN'>> = Object.freeze({
  double: 'DOUBLE',
  float: 'DOUBLE',
  real: 'DOUBLE',
  integer: 'INTEGER',
  int: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  bool: 'BOOLEAN',
});

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

export type ExpressionNode =
  | { kind: 'column'; name: string }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'negate'; operand: ExpressionNode }
  | { kind: 'not'; operand: ExpressionNode }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'comparison'; op: ComparisonOp; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'logic'; op: 'AND' | 'OR'; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'isNull'; operand: ExpressionNode; negated: boolean }
  | { kind: 'between'; operand: ExpressionNode; low: ExpressionNode; high: ExpressionNode; negated: boolean }
  | { kind: 'in'; operand: ExpressionNode; items: ExpressionNode[]; negated: boolean }
  | {
      kind: 'case';
      operand: ExpressionNode | null;
      whens: { when: ExpressionNode; then: ExpressionNode }[];
      otherwise: ExpressionNode | null;
    }
  | { kind: 'cast'; operand: ExpressionNode; type: 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' }
  | { kind: 'call'; name: string; args: ExpressionNode[] };

/** An expression outside the language: the message says, in plain words, what is not allowed. */
export class ExpressionError extends Error {
  constructor(message: string, at?: number) {
    super(at === undefined ? message : `${message} (at character ${at + 1})`);
    this.name = 'ExpressionError';
  }
}

const PER_STUDENT = 'an expression is computed from one student’s own row, then averaged per group';
export const SUBQUERY = `subqueries, tables and joins are not allowed: ${PER_STUDENT}`;
export const AGGREGATE = `aggregate functions, window functions and ordering are not allowed: ${PER_STUDENT}`;
const STATEMENT = 'statements are not allowed: an expression is one value';

/** Words that start something outside the language, with why it is refused. */
export const REFUSED_WORDS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(
    ['select', 'from', 'where', 'with', 'values', 'table', 'exists', 'lateral', 'join', 'any', 'all', 'some'].map(
      (w) => [w, SUBQUERY],
    ),
  ),
  ...Object.fromEntries(
    ['union', 'except', 'intersect'].map((w) => [w, `set operations (UNION, EXCEPT, INTERSECT) are not allowed`]),
  ),
  ...Object.fromEntries(
    ['over', 'partition', 'window', 'qualify', 'filter', 'order', 'group', 'having', 'limit', 'distinct'].map((w) => [
      w,
      AGGREGATE,
    ]),
  ),
  ...Object.fromEntries(
    [
      'set',
      'reset',
      'copy',
      'attach',
      'detach',
      'pragma',
      'install',
      'load',
      'create',
      'drop',
      'insert',
      'update',
      'delete',
      'call',
      'export',
      'import',
      'use',
    ].map((w) => [w, STATEMENT]),
  ),
});

const AGGREGATE_FUNCTIONS = new Set(
  'count count_star sum avg mean min max median mode quantile quantile_cont quantile_disc stddev stddev_pop stddev_samp variance var_pop var_samp list array_agg string_agg group_concat listagg first last any_value arg_max arg_min argmax argmin max_by min_by bool_and bool_or bit_and bit_or bit_xor product histogram approx_count_distinct approx_quantile entropy kurtosis skewness corr covar_pop covar_samp regr_slope fsum favg sumkahan'.split(
    ' ',
  ),
);
const WINDOW_FUNCTIONS = new Set(
  'row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value'.split(' '),
);
const TABLE_FUNCTIONS = new Set(
  'read_csv read_csv_auto read_parquet parquet_scan read_json read_json_auto read_ndjson read_text read_blob range generate_series glob unnest query query_table sniff_csv duckdb_settings duckdb_tables duckdb_columns duckdb_functions duckdb_databases'.split(
    ' ',
  ),
);

export function refusedFunction(name: string): string {
  if (AGGREGATE_FUNCTIONS.has(name)) return `${name}() is an aggregate function; ${AGGREGATE}`;
  if (WINDOW_FUNCTIONS.has(name)) return `${name}() is a window function; ${AGGREGATE}`;
  if (TABLE_FUNCTIONS.has(name) || name.startsWith('read_') || name.startsWith('duckdb_') || name.startsWith('pragma_'))
    return `${name}() reads a table or a file; ${SUBQUERY}`;
  return `${name}() is not one of the functions an expression may call (${Object.keys(EXPRESSION_FUNCTIONS).join(', ')})`;
}

export interface Token {
  kind: 'number' | 'string' | 'word' | 'op';
  text: string;
  at: number;
}

const OPERATORS = ['::', '<=', '>=', '<>', '!=', '==', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ','];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const MAX_STRING = 100;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    return pattern.exec(source)?.[0];
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('--', i) || source.startsWith('/*', i))
      throw new ExpressionError('comments are not allowed', i);
    const number = match(NUMBER);
    if (number !== undefined) {
      if (/[A-Za-z0-9_.]/.test(source[i + number.length] ?? ''))
        throw new ExpressionError(`${source.slice(i, i + number.length + 1)}… is not a number`, i);
      tokens.push({ kind: 'number', text: number, at: i });
      i += number.length;
      continue;
    }
    const word = match(WORD);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word.toLowerCase(), at: i });
      i += word.length;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new ExpressionError('a text in quotes is not closed', i);
        if (source[j] === "'") {
          if (source[j + 1] !== "'") break;
          j++;
        }
        value += source[j++];
      }
      if (value.length > MAX_STRING) throw new ExpressionError(`a text may have at most ${MAX_STRING} characters`, i);
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op === '!=' ? '<>' : op === '==' ? '=' : op, at: i });
      i += op.length;
      continue;
    }
    if (c === ';') throw new ExpressionError(`a semicolon is not allowed: ${STATEMENT.split(': ')[1]}`, i);
    if (c === '"') throw new ExpressionError('quoted names are not allowed; write a column name as it is', i);
    throw new ExpressionError(`the character ${JSON.stringify(c)} is not allowed`, i);
  }
  return tokens;
}
