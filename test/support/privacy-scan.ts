import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every direct identifier in a generated municipality's input: names, kana, usernames, emails, phones, raw IDs, full birth dates. */
export interface Identifiers {
  /** Values no stored cell may equal and no text may contain (IDs, emails, usernames, phones, birth dates, full names). */
  tokens: Set<string>;
  /** Single given/family names and kana: no stored cell may equal one (they are too short to search inside text). */
  nameParts: Set<string>;
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory()
      ? csvFiles(full)
      : full.endsWith('users.csv') || full.endsWith('demographics.csv') || full.endsWith('enrollments.csv')
        ? [full]
        : [];
  });
}

export async function identifiersOf(municipalityDir: string): Promise<Identifiers> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const tokens = new Set<string>();
  const nameParts = new Set<string>();
  const add = (set: Set<string>, value: unknown) => {
    if (typeof value === 'string' && value.trim().length > 0) set.add(value.trim());
  };
  try {
    for (const file of csvFiles(municipalityDir)) {
      const rows = (
        await connection.runAndReadAll(`SELECT * FROM read_csv('${file}', all_varchar = true, header = true)`)
      ).getRowObjectsJS() as Record<string, string | null>[];
      for (const row of rows) {
        if (file.endsWith('users.csv')) {
          for (const column of ['sourcedId', 'username', 'email', 'phone', 'sms', 'identifier', 'password'])
            add(tokens, row[column]);
          for (const match of (row.userIds ?? '').matchAll(/\{[^:}]+:([^}]*)\}/g)) add(tokens, match[1]);
          add(tokens, row.familyName && row.givenName ? `${row.familyName}${row.givenName}` : null);
          add(tokens, row.familyName && row.givenName ? `${row.familyName} ${row.givenName}` : null);
          for (const column of ['givenName', 'familyName', 'metadata.jp.kanaGivenName', 'metadata.jp.kanaFamilyName'])
            add(nameParts, row[column]);
        } else if (file.endsWith('demographics.csv')) {
          add(tokens, row.sourcedId);
          add(tokens, row.birthDate);
        } else {
          add(tokens, row.sourcedId);
          add(tokens, row.userSourcedId);
        }
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { tokens, nameParts };
}

/** Identifiers found in a text (a log, a JSON report): every token is searched as a substring. */
export function findInText(text: string, identifiers: Identifiers): string[] {
  return [...identifiers.tokens].filter((token) => text.includes(token));
}

/** Identifiers found in stored cells: a cell that equals any identifier or name part, or contains a token. */
export function findInCells(cells: string[], identifiers: Identifiers): string[] {
  const found = new Set<string>();
  for (const cell of cells) {
    if (identifiers.tokens.has(cell) || identifiers.nameParts.has(cell)) found.add(cell);
  }
  const joined = cells.join('\u0001');
  for (const token of identifiers.tokens) if (joined.includes(token)) found.add(token);
  return [...found];
}
