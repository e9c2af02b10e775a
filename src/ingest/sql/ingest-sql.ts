import { sqlFile } from '../../warehouse/sql-files.js';

declare const fromFile: unique symbol;
/** SQL text read from a file under queries/ (or made from such text by `render`): never built from values. */
export type Sql = string & { readonly [fromFile]: true };

/**
 * An ingest statement, read from `queries/ingest/<name>.sql` by the query registry (sqlFile). Call it at
 * module load: a missing or empty file then stops the start with its name.
 */
export const ingestSql = (name: string): Sql =>
  sqlFile(`ingest/${name}`)
    .replace(/^\s*--.*$\n?/gm, '')
    .trim() as Sql;

/** A file under queries/ingest as it is, comments and all (a rules file: its comments describe the rules). */
export const ingestFile = (name: string): string => sqlFile(`ingest/${name}`);

/**
 * The statements of one file, split at `;` ending a line (DuckDB prepares one statement at a time),
 * comment lines dropped.
 */
export const ingestStatements = (name: string): Sql[] =>
  ingestSql(name)
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean) as Sql[];

/**
 * What a `{{placeholder}}` of a statement may be: an identifier (a table or a column, optionally
 * qualified, or a double-quoted name), a list of identifiers (joined with commas), SQL from a file
 * (`{ sql }`), or a bound parameter's place (`{ param }`, written `$param`). Nothing else: a value is
 * always bound, never written into the text.
 */
export type Part = string | readonly string[] | { sql: Sql } | { param: string };

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*){0,2}$/i;
const QUOTED = /^"(?:[^"]|"")+"$/;
const PARAM = /^[a-z_][a-z0-9_]*$/i;

/** A column name as a double-quoted identifier (any header name: quotes doubled). */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Whether `text` is an identifier a statement may name (see Part). */
export const isIdentifier = (text: string): boolean =>
  IDENT.test(text) || (QUOTED.test(text) && !text.includes('\u0000'));

function identifier(text: string, placeholder: string): string {
  if (!isIdentifier(text)) throw new Error(`{{${placeholder}}}: not an identifier: ${JSON.stringify(text)}`);
  return text;
}

function partText(part: Part, placeholder: string): string {
  if (typeof part === 'string') return identifier(part, placeholder);
  if (Array.isArray(part)) return (part as readonly string[]).map((p) => identifier(p, placeholder)).join(', ');
  if ('param' in part) {
    if (!PARAM.test(part.param)) throw new Error(`{{${placeholder}}}: not a parameter name: ${part.param}`);
    return `$${part.param}`;
  }
  return (part as { sql: Sql }).sql;
}

/**
 * Fills the `{{name}}` placeholders of a statement (see Part); a placeholder without a part is an error.
 * A table made in DuckDB's temp catalog (`CREATE TABLE temp.x`, what a load in the warehouse transaction
 * may write) is made as DuckDB wants it: `CREATE TEMP TABLE x`.
 */
export function render(template: Sql, parts: Readonly<Record<string, Part>>): Sql {
  return template
    .replace(/\{\{([a-z_][a-z0-9_]*)\}\}/gi, (_, name: string) => {
      const part = parts[name];
      if (part === undefined) throw new Error(`{{${name}}} has no part`);
      return partText(part, name);
    })
    .replace(/\bCREATE TABLE temp\.(\w+)/g, 'CREATE TEMP TABLE $1') as Sql;
}

/** SQL parts joined (a list of expressions, conditions): still SQL from files. */
export const joinSql = (parts: readonly Sql[], separator: ', ' | ' OR ' | ' AND ' | ' UNION ALL '): Sql =>
  parts.join(separator) as Sql;
