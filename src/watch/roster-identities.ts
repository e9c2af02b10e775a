/**
 * Re-identification on the school's side (docs/watch-lists.md). Shirube stores no student ID or name: the
 * watch list knows students by pseudonym only. A school (or teacher) that wants to read its list with its own
 * student IDs, homerooms and 出席番号 (shusseki bangō, register numbers) gives the roster files it holds —
 * OneRoster users.csv and enrollments.csv, and classes.csv for the homerooms' titles — with the request. Each
 * student's sourcedId is pseudonymised with the board's key, as the ingest does, and matched to the list; the
 * files are read in memory, never written, logged or stored, and the answer is marked no-store.
 */
import { Pseudonymizer } from '../ingest/pseudonymizer.js';

export interface RosterIdentity {
  /** The school's own ID of the student: users.csv `identifier` when the school fills it, else its sourcedId. */
  localId: string;
  shussekiNo: string | null;
  homeroomId: string | null;
  homeroomTitle: string | null;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a BOM at the start is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

function table(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((cells) => Object.fromEntries(header.map((name, k) => [name.trim(), (cells[k] ?? '').trim()])));
}

/** Which roster file a name is (OneRoster names its files; a folder in the name is ignored). */
export function rosterFileKind(name: string): 'users' | 'enrollments' | 'classes' | null {
  const base = name.split(/[/\\]/).pop()?.toLowerCase() ?? '';
  if (base === 'users.csv') return 'users';
  if (base === 'enrollments.csv') return 'enrollments';
  if (base === 'classes.csv') return 'classes';
  return null;
}

/**
 * The identities of the wanted pseudonyms found in the roster files: students of users.csv (1.2 roles are in
 * roles.csv, so every user is tried; only wanted pseudonyms are kept), their homeroom enrollment's class and 出席番号.
 */
export function identitiesFromRoster(
  files: { users: string; enrollments?: string; classes?: string },
  pseudonymizer: Pseudonymizer,
  wanted: ReadonlySet<string>,
): Map<string, RosterIdentity> {
  const titles = new Map(table(files.classes ?? '').map((row) => [row.sourcedId, row]));
  const found = new Map<string, RosterIdentity & { sourcedId: string; homeClass: string }>();
  for (const user of table(files.users)) {
    if (!user.sourcedId || (user.role && user.role !== 'student')) continue;
    const pseudonym = pseudonymizer.pseudonym(user.sourcedId);
    if (!wanted.has(pseudonym)) continue;
    const homeClass = user['metadata.jp.homeClass'] ?? '';
    found.set(pseudonym, {
      sourcedId: user.sourcedId,
      localId: user.identifier || user.sourcedId,
      shussekiNo: null,
      homeroomId: homeClass || null,
      homeroomTitle: titles.get(homeClass)?.title ?? null,
      homeClass,
    });
  }
  const bySourcedId = new Map([...found.values()].map((identity) => [identity.sourcedId, identity]));
  for (const enrollment of table(files.enrollments ?? '')) {
    const identity = bySourcedId.get(enrollment.userSourcedId);
    if (!identity || (enrollment.role && enrollment.role !== 'student')) continue;
    const klass = titles.get(enrollment.classSourcedId);
    const isHomeroom = identity.homeClass
      ? enrollment.classSourcedId === identity.homeClass
      : klass?.classType === 'homeroom';
    if (!isHomeroom) continue;
    identity.homeroomId = enrollment.classSourcedId;
    identity.homeroomTitle = klass?.title ?? identity.homeroomTitle;
    identity.shussekiNo = enrollment['metadata.jp.ShussekiNo'] || enrollment['metadata.jp.shussekiNo'] || null;
  }
  return new Map(
    [...found].map(([pseudonym, { localId, shussekiNo, homeroomId, homeroomTitle }]) => [
      pseudonym,
      { localId, shussekiNo, homeroomId, homeroomTitle },
    ]),
  );
}
