/**
 * From a parsed derived-outcome expression to the SQL the sandbox runs: each node's type is checked
 * (a number or true/false in the end; text only in comparisons), then the tree is printed back with
 * every node in parentheses, every column quoted from the whitelist and every literal number or text
 * bound as a parameter. The analyst's own text never reaches DuckDB.
 */
import {
  EXPRESSION_COLUMNS,
  EXPRESSION_FUNCTIONS,
  ExpressionError,
  type ExpressionNode,
  type ValueType,
} from './derived-expression.js';
import { parseExpression } from './derived-expression-parser.js';

/** A value bound to the printed SQL: its parameter's name (without `$`), value and DuckDB type. */
export interface BoundLiteral {
  name: string;
  value: number | string;
  type: 'INTEGER' | 'DOUBLE' | 'VARCHAR';
}

export interface CompiledExpression {
  /** SQL of one value per row of the sandbox's `cohort` table, in parentheses. */
  sql: string;
  params: BoundLiteral[];
  type: 'number' | 'boolean';
}

/** The type of a node; 'null' for a bare NULL, which fits anywhere. */
type Typed = ValueType | 'null';

const describe = (type: Typed) => (type === 'boolean' ? 'true/false' : type === 'null' ? 'NULL' : type);

/** The one type a list of operands shares (NULLs fit any), or an error naming `what`. */
function common(types: Typed[], what: string): Typed {
  const known = [...new Set(types.filter((t) => t !== 'null'))];
  if (known.length > 1) throw new ExpressionError(`${what} mixes ${known.map(describe).join(' and ')}`);
  return known[0] ?? 'null';
}

function expectType(type: Typed, wanted: ValueType, what: string): void {
  if (type !== 'null' && type !== wanted)
    throw new ExpressionError(`${what} needs ${describe(wanted)}, not ${describe(type)}`);
}

export function typeOf(node: ExpressionNode): Typed {
  switch (node.kind) {
    case 'column':
      return EXPRESSION_COLUMNS[node.name];
    case 'number':
      return 'number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'negate':
      expectType(typeOf(node.operand), 'number', 'a minus sign');
      return 'number';
    case 'not':
      expectType(typeOf(node.operand), 'boolean', 'NOT');
      return 'boolean';
    case 'arithmetic':
      expectType(typeOf(node.left), 'number', `${node.op}`);
      expectType(typeOf(node.right), 'number', `${node.op}`);
      return 'number';
    case 'comparison':
      common([typeOf(node.left), typeOf(node.right)], `the comparison ${node.op}`);
      return 'boolean';
    case 'logic':
      expectType(typeOf(node.left), 'boolean', node.op);
      expectType(typeOf(node.right), 'boolean', node.op);
      return 'boolean';
    case 'isNull':
      typeOf(node.operand);
      return 'boolean';
    case 'between':
      common([typeOf(node.operand), typeOf(node.low), typeOf(node.high)], 'BETWEEN');
      return 'boolean';
    case 'in':
      common([typeOf(node.operand), ...node.items.map(typeOf)], 'IN');
      return 'boolean';
    case 'case': {
      if (node.operand) common([typeOf(node.operand), ...node.whens.map((w) => typeOf(w.when))], 'CASE … WHEN');
      else for (const w of node.whens) expectType(typeOf(w.when), 'boolean', 'CASE WHEN');
      const results = node.whens.map((w) => typeOf(w.then));
      if (node.otherwise) results.push(typeOf(node.otherwise));
      return common(results, 'the results of CASE');
    }
    case 'cast': {
      const from = typeOf(node.operand);
      if (from === 'text') throw new ExpressionError('a text cannot be cast to a number or true/false');
      return node.type === 'BOOLEAN' ? 'boolean' : 'number';
    }
    case 'call': {
      const signature = EXPRESSION_FUNCTIONS[node.name];
      const types = node.args.map(typeOf);
      if (signature.args === 'number') {
        for (const t of types) expectType(t, 'number', `${node.name}()`);
        return 'number';
      }
      return common(types, `${node.name}()`);
    }
  }
}

const INT32 = 2 ** 31 - 1;

/** Prints `node` as SQL, adding each literal to `params` under `prefix` + a number. */
function print(node: ExpressionNode, params: BoundLiteral[], prefix: string): string {
  const bind = (value: number | string, type: BoundLiteral['type']) => {
    const name = `${prefix}${params.length}`;
    params.push({ name, value, type });
    return `$${name}`;
  };
  const p = (child: ExpressionNode) => print(child, params, prefix);
  switch (node.kind) {
    case 'column':
      return `"${node.name}"`;
    case 'number': {
      const value = Number(node.text);
      if (!Number.isFinite(value)) throw new ExpressionError(`${node.text} is too large a number`);
      return bind(value, /^\d+$/.test(node.text) && value <= INT32 ? 'INTEGER' : 'DOUBLE');
    }
    case 'string':
      return bind(node.value, 'VARCHAR');
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'negate':
      return `(- ${p(node.operand)})`;
    case 'not':
      return `(NOT ${p(node.operand)})`;
    case 'arithmetic':
    case 'comparison':
    case 'logic':
      return `(${p(node.left)} ${node.op} ${p(node.right)})`;
    case 'isNull':
      return `(${p(node.operand)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
    case 'between':
      return `(${p(node.operand)} ${node.negated ? 'NOT ' : ''}BETWEEN ${p(node.low)} AND ${p(node.high)})`;
    case 'in':
      return `(${p(node.operand)} ${node.negated ? 'NOT ' : ''}IN (${node.items.map(p).join(', ')}))`;
    case 'case': {
      const whens = node.whens.map((w) => `WHEN ${p(w.when)} THEN ${p(w.then)}`).join(' ');
      const otherwise = node.otherwise ? ` ELSE ${p(node.otherwise)}` : '';
      return `(CASE ${node.operand ? `${p(node.operand)} ` : ''}${whens}${otherwise} END)`;
    }
    case 'cast':
      return `CAST(${p(node.operand)} AS ${node.type})`;
    case 'call':
      return `${node.name}(${node.args.map(p).join(', ')})`;
  }
}

/**
 * Parses, checks and prints an analyst's expression; `prefix` names its bound literals (unique per
 * expression of one query). Throws an ExpressionError saying in plain words what is not allowed.
 */
export function compileExpression(source: string, prefix = 'e'): CompiledExpression {
  const tree = parseExpression(source);
  const type = typeOf(tree);
  if (type !== 'number' && type !== 'boolean')
    throw new ExpressionError(`the expression must give a number or true/false, not ${describe(type)}`);
  const params: BoundLiteral[] = [];
  return { sql: `(${print(tree, params, prefix)})`, params, type };
}
