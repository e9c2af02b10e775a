import { DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { detectInputs } from './detect.js';
import type { FeedInput } from './ingest.types.js';
import { KEY_FINGERPRINT_FILE, type Pseudonymizer } from './pseudonymizer.js';
import { readCsvHeader } from './csv-header.js';
import { ingestSql, joinSql, quoteIdent, render, type Sql } from './sql/ingest-sql.js';
import { csvColumns } from './staging/csv-reader.js';

/**
 * What happens to a column: hash the ID, hash each ID of a comma list, rewrite `{type:id}` lists, blank
 * it, keep year-month, or (an e-mail address) replace it by the pseudonym of `mailto:<address>`, the
 * identity xAPI actors named by mbox link through.
 */
type ColumnAction = 'hash' | 'hashList' | 'userIds' | 'blank' | 'yearMonth' | 'mailbox';

const PERSON_FEED_COLUMNS: Record<string, ColumnAction> = { student_id: 'hash' };

/** OneRoster files: person IDs hashed (also IDs that may embed one, such as enrollment sourcedIds), personal fields blanked. */
const ONEROSTER_COLUMNS: Record<string, Record<string, ColumnAction>> = {
  'users.csv': {
    sourcedId: 'hash',
    userIds: 'userIds',
    agentSourcedIds: 'hashList',
    userMasterIdentifier: 'hash',
    username: 'blank',
    givenName: 'blank',
    familyName: 'blank',
    middleName: 'blank',
    identifier: 'blank',
    email: 'mailbox',
    sms: 'blank',
    phone: 'blank',
    password: 'blank',
    preferredGivenName: 'blank',
    preferredMiddleName: 'blank',
    preferredFamilyName: 'blank',
    pronouns: 'blank',
    'metadata.jp.kanaGivenName': 'blank',
    'metadata.jp.kanaFamilyName': 'blank',
    'metadata.jp.kanaMiddleName': 'blank',
  },
  'demographics.csv': {
    sourcedId: 'hash',
    birthDate: 'yearMonth',
    cityOfBirth: 'blank',
    stateOfBirthAbbreviation: 'blank',
    countryOfBirthCode: 'blank',
  },
  'enrollments.csv': { sourcedId: 'hash', userSourcedId: 'hash' },
  'roles.csv': { sourcedId: 'hash', userSourcedId: 'hash', userProfileSourcedId: 'hash' },
  'userProfiles.csv': { sourcedId: 'hash', userSourcedId: 'hash', username: 'blank', password: 'blank' },
  'results.csv': { sourcedId: 'hash', studentSourcedId: 'hash' },
};

export interface PseudonymizeSummary {
  files: { name: string; rows: number; columns: Record<string, ColumnAction> }[];
  /** The key's fingerprint, written to KEY_FINGERPRINT_FILE beside the files (never the key). */
  keyFingerprint: string | null;
}

function transformCell(action: ColumnAction, value: string, pseudonymizer: Pseudonymizer): string {
  switch (action) {
    case 'hash':
      return pseudonymizer.pseudonym(value);
    case 'hashList':
      return value
        .split(',')
        .map((id) => pseudonymizer.pseudonym(id))
        .join(',');
    case 'userIds':
      return value.replace(
        /\{([^:}]+):([^}]*)\}/g,
        (_, type: string, id: string) => `{${type}:${pseudonymizer.pseudonym(id)}}`,
      );
    case 'blank':
      return '';
    case 'yearMonth':
      return value.slice(0, 7);
    case 'mailbox':
      return pseudonymizer.pseudonym(`mailto:${value}`);
  }
}

const Q = {
  read: ingestSql('pseudonymize/read'),
  map: ingestSql('pseudonymize/map'),
  distinct: ingestSql('pseudonymize/distinct'),
  kept: ingestSql('pseudonymize/column-kept'),
  blank: ingestSql('pseudonymize/column-blank'),
  mapped: ingestSql('pseudonymize/column-mapped'),
  write: ingestSql('pseudonymize/write'),
  count: ingestSql('pseudonymize/count'),
};

/** Rewrites one CSV: each distinct value of a person column is transformed once in Node, joined back in DuckDB. */
async function pseudonymizeCsv(
  inPath: string,
  outPath: string,
  actions: Record<string, ColumnAction>,
  pseudonymizer: Pseudonymizer,
): Promise<{ rows: number; columns: Record<string, ColumnAction> }> {
  const header = await readCsvHeader(inPath);
  const used = Object.fromEntries(Object.entries(actions).filter(([column]) => header.includes(column)));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns = csvColumns(header);
    await connection.run(
      render(Q.read, {}),
      { path: inPath, columns: columns.value },
      { path: VARCHAR, columns: columns.type },
    );
    const select: Sql[] = [];
    for (const name of header) {
      const action = used[name];
      const column = quoteIdent(name);
      if (!action) {
        select.push(render(Q.kept, { column }));
      } else if (action === 'blank') {
        select.push(render(Q.blank, { column }));
      } else {
        const map = `map_${select.length}`;
        await connection.run(render(Q.map, { map }));
        const distinct = (await connection.runAndReadAll(render(Q.distinct, { column }))).getRowObjectsJS() as {
          v: string;
        }[];
        const appender = await connection.createAppender(map);
        for (const { v } of distinct) {
          appender.appendVarchar(v);
          appender.appendVarchar(transformCell(action, v, pseudonymizer));
          appender.endRow();
        }
        appender.closeSync();
        select.push(render(Q.mapped, { map, column }));
      }
    }
    mkdirSync(dirname(outPath), { recursive: true });
    await connection.run(render(Q.write, { columns: { sql: joinSql(select, ', ') } }), [outPath]);
    const rows = (await connection.runAndReadAll(render(Q.count, {}))).getRowObjectsJS()[0].n;
    return { rows: Number(rows), columns: used };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** xAPI: the actor becomes its pseudonym; names, mbox, openid and other people in the statement are dropped. */
export function pseudonymizeStatement(
  statement: Record<string, unknown>,
  pseudonymizer: Pseudonymizer,
): Record<string, unknown> {
  const actor = (statement.actor ?? {}) as Record<string, unknown>;
  const account = actor.account as { name?: string } | undefined;
  const cleanActor: Record<string, unknown> = { objectType: actor.objectType ?? 'Agent' };
  // An actor named by mbox becomes an account holding the pseudonym of its mbox: the roster's e-mail identity.
  const name = account?.name ?? (typeof actor.mbox === 'string' ? actor.mbox : undefined);
  if (name) cleanActor.account = { homePage: 'urn:shirube:pseudonym', name: pseudonymizer.pseudonym(name) };
  const { authority: _authority, ...rest } = statement;
  const context = rest.context as Record<string, unknown> | undefined;
  const cleanContext = context
    ? Object.fromEntries(Object.entries(context).filter(([key]) => key !== 'instructor' && key !== 'team'))
    : undefined;
  return { ...rest, actor: cleanActor, ...(cleanContext ? { context: cleanContext } : {}) };
}

async function pseudonymizeXapi(inPath: string, outPath: string, pseudonymizer: Pseudonymizer): Promise<number> {
  mkdirSync(dirname(outPath), { recursive: true });
  const out = createWriteStream(outPath);
  let rows = 0;
  const write = async (statement: Record<string, unknown>) => {
    rows++;
    if (!out.write(`${JSON.stringify(pseudonymizeStatement(statement, pseudonymizer))}\n`)) await once(out, 'drain');
  };
  if (inPath.endsWith('.json')) {
    const { readFileSync } = await import('node:fs');
    const parsed = JSON.parse(readFileSync(inPath, 'utf8')) as unknown;
    for (const statement of Array.isArray(parsed) ? parsed : [parsed])
      await write(statement as Record<string, unknown>);
  } else {
    for await (const line of createInterface({ input: createReadStream(inPath, 'utf8'), crlfDelay: Infinity })) {
      if (line.trim()) await write(JSON.parse(line) as Record<string, unknown>);
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/**
 * `shirube pseudonymize IN OUT`: the ingest's pseudonymisation as a tool a school runs before
 * uploading. Person IDs become the same HMAC pseudonyms the ingest would make; names and contact
 * fields are blanked; birth dates keep year and month. Load the output with `--pre-pseudonymized`.
 */
export async function pseudonymizeFiles(
  inPath: string,
  outDir: string,
  pseudonymizer: Pseudonymizer,
): Promise<PseudonymizeSummary> {
  const detected = await detectInputs(inPath);
  const summary: PseudonymizeSummary = { files: [], keyFingerprint: pseudonymizer.fingerprint() };
  try {
    const problems = detected.problems.filter((p) => p.severity === 'error');
    if (problems.length > 0) throw new Error(problems.map((p) => `${p.file}: ${p.rule}`).join('; '));
    for (const input of detected.inputs) await pseudonymizeInput(input, outDir, pseudonymizer, summary);
    if (summary.keyFingerprint) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, KEY_FINGERPRINT_FILE), `${summary.keyFingerprint}\n`);
    }
  } finally {
    detected.cleanup();
  }
  return summary;
}

async function pseudonymizeInput(
  input: FeedInput,
  outDir: string,
  pseudonymizer: Pseudonymizer,
  summary: PseudonymizeSummary,
): Promise<void> {
  for (const file of input.files) {
    const outPath = join(outDir, input.kind === 'xapi' ? file.name.replace(/\.(json|jsonl)$/i, '.ndjson') : file.name);
    if (input.kind === 'xapi') {
      summary.files.push({
        name: file.name,
        rows: await pseudonymizeXapi(file.path, outPath, pseudonymizer),
        columns: { 'actor.account.name': 'hash' },
      });
      continue;
    }
    const actions = input.kind === 'oneroster' ? (ONEROSTER_COLUMNS[basename(file.path)] ?? {}) : PERSON_FEED_COLUMNS;
    summary.files.push({ name: file.name, ...(await pseudonymizeCsv(file.path, outPath, actions, pseudonymizer)) });
  }
}
