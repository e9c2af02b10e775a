import { compileExpression } from './derived-expression-sql.js';
import { ExpressionError } from './derived-expression.js';

const refusal = (expression: string): string => {
  try {
    compileExpression(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${expression}`);
};

describe('the derived-outcome expression language', () => {
  it('prints an expression back as SQL with every column quoted and every literal bound', () => {
    const compiled = compileExpression("CASE WHEN sex = 'female' AND grade IN ('P4', 'P5') THEN absent_days / 2.5 END");
    expect(compiled.sql).toBe(
      `((CASE WHEN (("sex" = $e0) AND ("grade" IN ($e1, $e2))) THEN ("absent_days" / $e3) END))`,
    );
    expect(compiled.params).toEqual([
      { name: 'e0', value: 'female', type: 'VARCHAR' },
      { name: 'e1', value: 'P4', type: 'VARCHAR' },
      { name: 'e2', value: 'P5', type: 'VARCHAR' },
      { name: 'e3', value: 2.5, type: 'DOUBLE' },
    ]);
    expect(compiled.type).toBe('number');
  });

  it('keeps SQL precedence: AND before OR, * before +, NOT over a comparison', () => {
    expect(compileExpression('1 + 2 * absent_days', 'p').sql).toBe('(($p0 + ($p1 * "absent_days")))');
    expect(compileExpression('NOT absent_days > 3 OR special_needs AND long_term_absent').sql).toBe(
      '(((NOT ("absent_days" > $e0)) OR ("special_needs" AND "long_term_absent")))',
    );
  });

  it.each([
    'absent_days / nullif(required_days, 0)',
    'coalesce(score, 0) >= 60',
    'least(greatest(app_minutes, 0), 600) / 60.0',
    'round(power(score, 2), 1) + sqrt(abs(excused_days)) - ln(1 + attended_days) * exp(0) + sign(-1) + floor(1.5) + ceil(.5)',
    'CAST(long_term_absent AS INTEGER) + special_needs::double',
    "CASE grade WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 ELSE 0 END",
    'absent_days NOT BETWEEN 0 AND 29 AND score IS NOT NULL',
    'absent_days NOT IN (-1, 0, 1e2)',
    "sex <> 'male' and school_type != 'high'",
    'ABSENT_DAYS * 1',
  ])('accepts %s', (expression) => {
    expect(() => compileExpression(expression)).not.toThrow();
  });

  it.each([
    ['(SELECT 1)', /subqueries, tables and joins are not allowed/],
    ['absent_days > ALL (SELECT 1)', /subqueries/],
    ['exists (select 1)', /subqueries/],
    ['(FROM cohort)', /subqueries/],
    ['count(*)', /count\(\) is an aggregate function/],
    ['max(absent_days)', /aggregate function/],
    ['rank() OVER ()', /rank\(\) is a window function/],
    ['abs(absent_days) OVER ()', /window functions/],
    ["read_parquet('x')", /reads a table or a file/],
    ["repeat('x', 9)", /repeat\(\) is not one of the functions/],
    ['random()', /random\(\) is not one of the functions/],
    ["school_code = 'B108291000039'", /school_code is not a column an expression can read/],
    ['cohort', /not a column/],
    ['"absent_days"', /quoted names are not allowed/],
    ['absent_days -- x', /comments are not allowed/],
    ['absent_days /* x */', /comments are not allowed/],
    ['1; SELECT 2', /semicolon/],
    ['sex || grade', /character "\|"/],
    ['[1, 2]', /character "\["/],
    ['$1', /character "\$"/],
    ['c.absent_days', /character "\."/],
    ['1abc', /is not a number/],
    ['absent_days AS x', /unexpected AS/],
    ['absent_days IN (required_days)', /IN \(\.\.\.\) takes a list of literal values only/],
    ["absent_days = 'x'", /mixes number and text/],
    ['sex', /must give a number or true\/false, not text/],
    ['CAST(grade AS INTEGER)', /text cannot be cast/],
    ['absent_days::VARCHAR', /cast only to/],
    ['special_needs + 1', /needs number, not true\/false/],
    ['abs(1, 2)', /takes 1 argument/],
    ['', /empty/],
    ['(1', /expected \)/],
    ["'unclosed", /not closed/],
    [`'${'x'.repeat(101)}'`, /at most 100 characters/],
    [`${'('.repeat(70)}1${')'.repeat(70)}`, /nested more than 64 deep/],
    [`${'- '.repeat(70)}1`, /nested more than 64 deep/],
    ['1e999', /too large a number/],
    ['SET threads = 8', /statements are not allowed/],
  ])('refuses %s, saying why', (expression, message) => {
    expect(refusal(expression)).toMatch(message);
  });

  it('says where the problem is', () => {
    expect(refusal('absent_days + (SELECT 1)')).toMatch(/at character 16/);
  });
});
