import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../common/project-root.js';
import { ingestSql, isIdentifier, render, type Sql } from './ingest-sql.js';

const template = 'SELECT {{column}} FROM {{table}} WHERE x = $1' as Sql;

describe('ingest statements', () => {
  it('fills placeholders with identifiers only', () => {
    expect(render(template, { column: '"date"', table: 'ingest_staging.facts_3' })).toBe(
      'SELECT "date" FROM ingest_staging.facts_3 WHERE x = $1',
    );
    for (const bad of ["x'; DROP TABLE t; --", 'a b', '1abc', '"unclosed', '"a"b"', 'a.b.c.d', ''])
      expect(() => render(template, { column: bad, table: 't' })).toThrow(/not an identifier/);
    expect(() => render(template, { column: 'a' })).toThrow('{{table}} has no part');
    expect(isIdentifier('"a ""quoted"" name"')).toBe(true);
  });

  it('writes a bound parameter as its place, never a value', () => {
    expect(render('SELECT {{v}}' as Sql, { v: { param: 'scope_school' } })).toBe('SELECT $scope_school');
    expect(() => render('SELECT {{v}}' as Sql, { v: { param: "1'" } })).toThrow(/not a parameter name/);
  });

  it('makes a table of the temp catalog as a temp table', () => {
    expect(render('CREATE TABLE {{t}} AS SELECT 1' as Sql, { t: 'temp.ingest_x_1' })).toBe(
      'CREATE TEMP TABLE ingest_x_1 AS SELECT 1',
    );
  });

  it('has every file under queries/ingest readable by the registry', () => {
    const root = join(projectRoot(), 'queries', 'ingest');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.sql')) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(50);
    for (const path of files) {
      expect(ingestSql(relative(root, path).replace(/\.sql$/, ''))).not.toBe('');
    }
  });
});
