/**
 * The parser of the derived-outcome language (derived-expression.ts): recursive descent over the
 * tokens, SQL's precedence (OR < AND < NOT < comparison, IS NULL, BETWEEN, IN < + - < * / % < unary
 * minus < ::), to a tree of the nodes the language has. Anything else is an ExpressionError.
 */
import {
  AGGREGATE,
  CAST_TYPES,
  type ArithmeticOp,
  type ComparisonOp,
  EXPRESSION_COLUMNS,
  EXPRESSION_FUNCTIONS,
  ExpressionError,
  type ExpressionNode,
  REFUSED_WORDS,
  refusedFunction,
  SUBQUERY,
  type Token,
  tokenize,
} from './derived-expression.js';

/** Deep enough for any honest expression; a bound on the parser's recursion. */
const MAX_DEPTH = 64;
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
/** Words of the language that cannot start a value. */
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'in', 'between', 'when', 'then', 'else', 'end', 'as']);

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ExpressionNode {
    if (this.tokens.length === 0) throw new ExpressionError('the expression is empty');
    const node = this.expression();
    const rest = this.peek();
    if (rest) throw this.unexpected(rest);
    return node;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new ExpressionError('the expression ends too early');
    return token;
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && token.text === word;
  }

  private isOp(op: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.text === op;
  }

  private expect(kind: 'word' | 'op', text: string): void {
    if (!this.peek()) throw new ExpressionError(`the expression ends too early: expected ${text.toUpperCase()}`);
    const token = this.next();
    if (token.kind !== kind || token.text !== text)
      throw new ExpressionError(`expected ${text.toUpperCase()}, found ${JSON.stringify(token.text)}`, token.at);
  }

  private unexpected(token: Token): ExpressionError {
    if (token.kind === 'word' && REFUSED_WORDS[token.text])
      return new ExpressionError(REFUSED_WORDS[token.text], token.at);
    return new ExpressionError(
      `unexpected ${token.kind === 'word' ? token.text.toUpperCase() : JSON.stringify(token.text)}`,
      token.at,
    );
  }

  private expression(): ExpressionNode {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested more than ${MAX_DEPTH} deep`);
    const node = this.or();
    this.depth--;
    return node;
  }

  private or(): ExpressionNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'logic', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  private and(): ExpressionNode {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'logic', op: 'AND', left, right: this.not() };
    }
    return left;
  }

  private not(): ExpressionNode {
    if (!this.isWord('not')) return this.predicate();
    this.next();
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested more than ${MAX_DEPTH} deep`);
    const operand = this.not();
    this.depth--;
    return { kind: 'not', operand };
  }

  private predicate(): ExpressionNode {
    const left = this.additive();
    const token = this.peek();
    if (token?.kind === 'op' && COMPARISONS.has(token.text)) {
      this.next();
      return { kind: 'comparison', op: token.text as ComparisonOp, left, right: this.additive() };
    }
    if (this.isWord('is')) {
      this.next();
      const negated = this.isWord('not');
      if (negated) this.next();
      this.expect('word', 'null');
      return { kind: 'isNull', operand: left, negated };
    }
    const negated = this.isWord('not') && (this.isWord('between', 1) || this.isWord('in', 1));
    if (negated) this.next();
    if (this.isWord('between')) {
      this.next();
      const low = this.additive();
      this.expect('word', 'and');
      return { kind: 'between', operand: left, low, high: this.additive(), negated };
    }
    if (this.isWord('in')) {
      this.next();
      this.expect('op', '(');
      const items = [this.literal()];
      while (this.isOp(',')) {
        this.next();
        items.push(this.literal());
      }
      this.expect('op', ')');
      return { kind: 'in', operand: left, items, negated };
    }
    return left;
  }

  /** An item of IN (...): a literal, a negative number included. */
  private literal(): ExpressionNode {
    const start = this.peek();
    const negative = this.isOp('-');
    if (negative) this.next();
    const node = this.primary();
    const isLiteral =
      node.kind === 'number' ||
      (!negative && (node.kind === 'string' || node.kind === 'boolean' || node.kind === 'null'));
    if (!isLiteral) throw new ExpressionError('IN (...) takes a list of literal values only', start?.at);
    return negative ? { kind: 'negate', operand: node } : node;
  }

  private additive(): ExpressionNode {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as ArithmeticOp;
      left = { kind: 'arithmetic', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): ExpressionNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text as ArithmeticOp;
      left = { kind: 'arithmetic', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): ExpressionNode {
    if (this.isOp('-') || this.isOp('+')) {
      const sign = this.next().text;
      if (++this.depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested more than ${MAX_DEPTH} deep`);
      const operand = this.unary();
      this.depth--;
      return sign === '-' ? { kind: 'negate', operand } : operand;
    }
    let node = this.primary();
    while (this.isOp('::')) {
      this.next();
      node = { kind: 'cast', operand: node, type: this.castType() };
    }
    return node;
  }

  private castType(): 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' {
    const token = this.next();
    const type = token.kind === 'word' ? CAST_TYPES[token.text] : undefined;
    if (!type)
      throw new ExpressionError(
        `a value can be cast only to ${Object.keys(CAST_TYPES).join(', ')}, not ${JSON.stringify(token.text)}`,
        token.at,
      );
    return type;
  }

  private primary(): ExpressionNode {
    const token = this.next();
    if (token.kind === 'number') return { kind: 'number', text: token.text };
    if (token.kind === 'string') return { kind: 'string', value: token.text };
    if (token.kind === 'op') {
      if (token.text !== '(') throw this.unexpected(token);
      const inner = this.peek();
      if (inner?.kind === 'word' && REFUSED_WORDS[inner.text] === SUBQUERY)
        throw new ExpressionError(SUBQUERY, inner.at);
      const node = this.expression();
      this.expect('op', ')');
      return node;
    }
    switch (token.text) {
      case 'true':
      case 'false':
        return { kind: 'boolean', value: token.text === 'true' };
      case 'null':
        return { kind: 'null' };
      case 'case':
        return this.caseExpression();
      case 'cast': {
        this.expect('op', '(');
        const operand = this.expression();
        this.expect('word', 'as');
        const type = this.castType();
        this.expect('op', ')');
        return { kind: 'cast', operand, type };
      }
    }
    if (REFUSED_WORDS[token.text] || KEYWORDS.has(token.text)) throw this.unexpected(token);
    if (this.isOp('(')) return this.call(token);
    const type = EXPRESSION_COLUMNS[token.text];
    if (!type)
      throw new ExpressionError(
        `${token.text} is not a column an expression can read (${Object.keys(EXPRESSION_COLUMNS).join(', ')})`,
        token.at,
      );
    return { kind: 'column', name: token.text };
  }

  private call(name: Token): ExpressionNode {
    const signature = EXPRESSION_FUNCTIONS[name.text];
    if (!signature) throw new ExpressionError(refusedFunction(name.text), name.at);
    this.expect('op', '(');
    const args: ExpressionNode[] = [];
    if (!this.isOp(')')) {
      args.push(this.expression());
      while (this.isOp(',')) {
        this.next();
        args.push(this.expression());
      }
    }
    this.expect('op', ')');
    if (args.length < signature.min || args.length > signature.max) {
      const count = signature.min === signature.max ? `${signature.min}` : `${signature.min} to ${signature.max}`;
      throw new ExpressionError(`${name.text}() takes ${count} argument(s), got ${args.length}`, name.at);
    }
    const after = this.peek();
    if (after?.kind === 'word' && (after.text === 'over' || after.text === 'filter'))
      throw new ExpressionError(AGGREGATE, after.at);
    return { kind: 'call', name: name.text, args };
  }

  private caseExpression(): ExpressionNode {
    const operand = this.isWord('when') ? null : this.expression();
    const whens: { when: ExpressionNode; then: ExpressionNode }[] = [];
    while (this.isWord('when')) {
      this.next();
      const when = this.expression();
      this.expect('word', 'then');
      whens.push({ when, then: this.expression() });
    }
    if (whens.length === 0) throw new ExpressionError('CASE needs at least one WHEN … THEN …');
    let otherwise: ExpressionNode | null = null;
    if (this.isWord('else')) {
      this.next();
      otherwise = this.expression();
    }
    this.expect('word', 'end');
    return { kind: 'case', operand, whens, otherwise };
  }
}

/** Parses an expression of the language, or throws an ExpressionError saying what is not allowed. */
export function parseExpression(source: string): ExpressionNode {
  return new Parser(tokenize(source)).parse();
}
