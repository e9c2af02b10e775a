/**
 * No value reaches SQL text by interpolation (issue 14): every template literal in src/ whose text holds
 * an SQL keyword and a `${...}` fails this test, unless the substitution is on the reviewed list below —
 * identifiers (table, schema and role names, quoted), SQL files and SQL compiled from a parsed tree, never
 * a value a user, a file or a request supplies. Values are bound parameters ($name), as in queries/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../src/common/project-root.js';

const ROOT = projectRoot();

/** Upper-case SQL keywords: statements and clauses (prose in messages is lower case). */
const SQL_KEYWORD =
  /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|DETACH|PRAGMA|FROM|WHERE|JOIN|LIMIT|VALUES|SET|GRANT|REVOKE)\b/;

/** file → the substitutions allowed in its SQL, each an identifier or SQL text of the code's own, with why. */
const ALLOWED: Record<string, Record<string, string>> = {
  'src/backup/control-plane-dump.ts': {
    'ident(MIGRATIONS_TABLE)': 'a constant table name, quoted',
    'ident(name)': 'a table name read from the catalogue, quoted',
    'ident(table)': 'a table name read from the catalogue, quoted',
    'ident(dumped.table)': 'a table name of the dump, checked against the catalogue, quoted',
    order: 'key column names read from the catalogue, each quoted by ident()',
  },
  'src/backup/restore-backup.ts': {
    MIGRATIONS_TABLE: 'a constant table name',
    schema: 'current_schema(), quoted',
    aside: 'a name made of a prefix and a timestamp, quoted',
    table: 'a table name of the manifest, checked against the catalogue, quoted',
  },
  'src/backup/warehouse-snapshot.ts': {
    table: 'a table name read from information_schema, quoted',
    "sources.join(' UNION ALL ')": 'SELECTs built from table names read from information_schema',
    'quoted(target)':
      'the backup file: ATTACH takes no bound parameter in DuckDB 1.5 (a parser error), so the path is a quoted literal',
    'name.replace(/"/g, \'""\')': 'current_database(), quoted as an identifier',
  },
  'src/cohorts/analyst-sandbox.ts': {
    "COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')": 'the sandbox table’s constant column names and types',
    'expression.sql':
      'an analyst expression compiled from its parsed tree (derived-expression-sql.ts); its literals are bound',
    "breakdown('$b1')": 'a constant CASE over a bound parameter',
    "breakdown('$b2')": 'a constant CASE over a bound parameter',
    "values.join(', ')": 'compiled expressions (as above), cast to DOUBLE',
    "columns.join(', ')": 'aggregates of the compiled expressions, named by validated outcome names',
  },
  'src/cohorts/cohort-warehouse.ts': {
    'SQL.population': 'an SQL file of queries/cohorts',
    'SQL.monthRows': 'an SQL file of queries/cohorts',
    'SQL.yearRows': 'an SQL file of queries/cohorts',
  },
  'src/database/application-role.ts': {
    s: 'current_schema(), quoted',
    r: 'the configured application role, quoted',
  },
  'src/metrics/metric-catalogue.spec.ts': {
    'header()': 'a test writing a metric file',
  },
  'src/metrics/metrics.service.ts': {
    'tableOf(source)': 'a metric’s declared source table (checked against the catalogue at boot), quoted, or its view',
    ofSources: 'the union of a metric’s declared source tables (each as tableOf), made in the same function',
  },
  'src/surveys/response-rows.ts': {
    ANSWERS_READ: "a constant query of the same file (a response's answers as read), its values bound",
    RESPONSE_MOVES: 'a constant statement of the same file (a school write moving its response), its values bound',
    AUDIT_OF_WRITE: 'a constant statement of the same file (the audit row of a school write), its values bound',
  },
  'src/watch/cases.repository.ts': {
    COLUMNS: 'the constant column list of a support case',
    "lock ? ' FOR UPDATE' : ''": 'a constant clause chosen by the code',
    filter: "a constant clause (' AND student_pid = ANY($4)'), its value bound",
    "students ? ' AND student_pid = ANY($2)' : ''": 'a constant clause, its value bound',
  },
  'src/watch/indicator-engine.ts': {
    k: "an indicator's position in the catalogue (a number), naming its CTE and bound parameters",
    "ctes.join(',\\n')": "the catalogue files' own SQL (queries/indicators), checked at boot; values bound",
    fired: 'SQL built above from the catalogue, values bound',
    WATCH_STUDENTS_CTE: 'a constant CTE of the same file, values bound',
    sql: "one catalogue file's own SQL (queries/indicators), checked at boot; values bound",
  },
  'src/watch/watch-refresh.service.ts': {
    'watchListSql(this.settings.catalogue())':
      'the one query of the indicator catalogue (indicator-engine.ts), values bound',
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Interpolation {
  file: string;
  line: number;
  expression: string;
}

/** Every `${...}` of a template literal whose text holds an SQL keyword. */
function sqlInterpolations(file: string, text: string): Interpolation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Interpolation[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node)) {
      const literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
      if (SQL_KEYWORD.test(literal))
        for (const span of node.templateSpans)
          found.push({
            file,
            line: source.getLineAndCharacterOfPosition(span.expression.getStart()).line + 1,
            expression: span.expression.getText(),
          });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('SQL text in src/', () => {
  const files = sourceFiles(join(ROOT, 'src')).map((path) => relative(ROOT, path).split('\\').join('/'));
  const interpolations = files.flatMap((file) => sqlInterpolations(file, readFileSync(join(ROOT, file), 'utf8')));

  it('interpolates nothing but the reviewed identifiers and SQL of the code’s own', () => {
    const unreviewed = interpolations
      .filter((i) => ALLOWED[i.file]?.[i.expression] === undefined)
      .map((i) => `${i.file}:${i.line} \${${i.expression}}`);
    expect(unreviewed).toEqual([]);
  });

  it('keeps the allow-list short: every entry is still used', () => {
    const used = new Set(interpolations.map((i) => `${i.file} ${i.expression}`));
    const stale = Object.entries(ALLOWED).flatMap(([file, entries]) =>
      Object.keys(entries)
        .filter((expression) => !used.has(`${file} ${expression}`))
        .map((expression) => `${file} \${${expression}}`),
    );
    expect(stale).toEqual([]);
  });

  it('finds an interpolated value (the check can fail)', () => {
    const sample = "const sql = `SELECT * FROM schools WHERE school_code = '${code}'`;";
    expect(sqlInterpolations('src/sample.ts', sample)).toEqual([
      { file: 'src/sample.ts', line: 1, expression: 'code' },
    ]);
  });
});
