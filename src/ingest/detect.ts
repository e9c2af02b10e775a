import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { headerDefect, readCsvHeaderLine } from './csv-header.js';
import type { FeedInput, FeedKind, Problem, SourceFile } from './ingest.types.js';
import { FEED_KINDS } from './ingest.types.js';
import { KEY_FINGERPRINT_FILE } from './pseudonymizer.js';
import { encodingOf, utf8CopyOf, type DeclaredEncoding, type FileEncoding } from './encoding.js';
import { sha256Of, type EncodingDefect } from './source-file.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';
import { extractZipPackage, ZipRefused } from './zip-package.js';
import { say, type Said } from './problems/problem-catalogue.js';

export interface DetectedInputs {
  inputs: FeedInput[];
  /** The key fingerprint `shirube pseudonymize` left beside its output (KEY_FINGERPRINT_FILE), if one was given. */
  keyFingerprint: string | null;
  /** Files that are no feed at all, or that cannot be read: reported, not loaded. */
  problems: Problem[];
  cleanup(): void;
}

/** A feed found by name and header alone, before any file is unpacked, checked or hashed. */
export interface PlannedInput {
  kind: FeedKind;
  name: string;
}

export interface DetectOptions {
  /** The feed of a single file, instead of the one its header says. */
  forced?: FeedKind;
  /** Called with the feeds found before anything heavier is read (a zip unpacked, a file hashed): throws to refuse them. */
  authorize?: (planned: PlannedInput[]) => void;
  /** Called with each CSV's feed once the file is known to be UTF-8, before it is hashed: work that can read the file meanwhile. */
  beforeHash?: (kind: FeedKind, path: string) => void;
  /** The encoding of the CSV files, when the user says it; 'auto' (default): UTF-8, else Shift_JIS (encoding.ts). */
  encoding?: DeclaredEncoding;
}

type Planned = PlannedInput & ({ file: string } | { zip: string } | { dir: string });

/** The columns of each CSV feed's format: those without which it is not read, then the others. */
const CSV_FORMATS: Record<Exclude<FeedKind, 'oneroster' | 'xapi'>, { required: string[]; optional: string[] }> = {
  programmes: { required: ['programme_id', 'programme_name', 'school_code', 'start_date'], optional: ['end_date'] },
  assessments: {
    required: ['school_code', 'student_id', 'assessment_id', 'subject', 'administered_on', 'score', 'max_score'],
    optional: [],
  },
  guidance: {
    required: ['school_code', 'student_id', 'recorded_on', 'category'],
    optional: ['type_code', 'discovered_by', 'resolved', 'serious'],
  },
  attendance: { required: ['school_code', 'student_id', 'date', 'status'], optional: ['reason', 'place'] },
  calendar: { required: ['school_code', 'date'], optional: [] },
};
const SHARED_COLUMNS = ['school_code', 'student_id'];

/** Which feed a CSV is, by its header (the formats are fixed by the ingest spec). */
export function feedOfCsvHeader(header: string[]): FeedKind | null {
  const has = (...columns: string[]) => columns.every((c) => header.includes(c));
  if (has('programme_id', 'school_code', 'start_date')) return 'programmes';
  if (has('assessment_id', 'student_id', 'score')) return 'assessments';
  if (has('category', 'recorded_on', 'student_id')) return 'guidance';
  if (has('student_id', 'date', 'status')) return 'attendance';
  // Not a file of another feed that lacks a column: an attendance file without student_id is no calendar.
  const others = Object.entries(CSV_FORMATS)
    .filter(([kind]) => kind !== 'calendar')
    .flatMap(([, format]) => [...format.required, ...format.optional]);
  if (
    has('school_code', 'date') &&
    !header.some((c) => others.includes(c) && !CSV_FORMATS.calendar.required.includes(c))
  )
    return 'calendar';
  return null;
}

/**
 * For a header that matches no feed, the feed it comes nearest (most of the columns only that feed has,
 * then fewest required columns missing) and the first required column it lacks; null when it has no
 * column of any feed.
 */
export function nearestFeed(header: string[]): { kind: FeedKind; missing: string } | null {
  let best: { kind: FeedKind; missing: string; own: number; lacking: number; any: number } | null = null;
  for (const [kind, format] of Object.entries(CSV_FORMATS) as [FeedKind, (typeof CSV_FORMATS)['calendar']][]) {
    const columns = [...format.required, ...format.optional];
    const own = columns.filter((c) => !SHARED_COLUMNS.includes(c) && header.includes(c)).length;
    const any = columns.filter((c) => header.includes(c)).length;
    const lacking = format.required.filter((c) => !header.includes(c));
    if (any === 0 || lacking.length === 0) continue;
    if (!best || own > best.own || (own === best.own && lacking.length < best.lacking))
      best = { kind, missing: lacking[0], own, lacking: lacking.length, any };
  }
  return best && { kind: best.kind, missing: best.missing };
}

/** xAPI statements name an actor and a verb near the start; other JSON (truth.json, settings) does not. */
function looksLikeXapi(path: string): boolean {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(16384);
    const head = buffer.subarray(0, readSync(descriptor, buffer, 0, buffer.length, 0)).toString('utf8');
    return head.includes('"actor"') && head.includes('"verb"');
  } finally {
    closeSync(descriptor);
  }
}

const isFileAt = (path: string) => existsSync(path) && statSync(path).isFile();

/** A OneRoster package folder: its manifest sits at the top, or one folder down (zips often wrap a folder). */
function packageRoot(dir: string): string | null {
  if (isFileAt(join(dir, 'manifest.csv'))) return dir;
  const children = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  if (children.length === 1 && isFileAt(join(dir, children[0].name, 'manifest.csv')))
    return join(dir, children[0].name);
  return null;
}

const problemOf = (file: string, said: Said, row: number | null = null, column: string | null = null): Problem => ({
  severity: 'error',
  file,
  row,
  column,
  value: null,
  ...said,
});

/** A file that is not UTF-8, by where its first bad byte is (never what the line holds). */
export function encodingProblem(
  file: string,
  defect: EncodingDefect,
  header: string[] | null,
  declared: DeclaredEncoding = 'utf-8',
): Problem {
  const byte = `0x${defect.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const code =
    declared === 'auto'
      ? 'encoding.neither'
      : declared === 'shift_jis'
        ? 'encoding.not_shift_jis'
        : 'encoding.not_utf8';
  return problemOf(
    file,
    say(code, { byte, line: defect.line, character: defect.character }),
    defect.line,
    header?.[defect.field] ?? null,
  );
}

/**
 * Finds the feeds in what was given: a file, a folder (walked; a folder holding manifest.csv is a
 * OneRoster package) or a zip (a OneRoster package). Inputs come back in load order: rosters first.
 *
 * In two steps: first each feed is found from names and headers alone (a header that no reader could
 * take is an error here: too long, too many columns, a column without a name ...), and `authorize` may
 * refuse them; then zips are unpacked (streamed, within limits) and every file is checked to be UTF-8
 * and hashed. No file reaches DuckDB before it is known to be UTF-8. What cannot be read is a problem
 * naming the file, never a thrown error.
 */
export async function detectInputs(path: string, options: DetectOptions = {}): Promise<DetectedInputs> {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  const { forced } = options;
  const temps: string[] = [];
  const inputs: FeedInput[] = [];
  const problems: Problem[] = [];
  const root = statSync(path).isDirectory() ? path : dirname(path);
  const display = (file: string) => relative(root, file).split(sep).join('/') || basename(file);
  const planned: Planned[] = [];

  let keyFingerprint: string | null = null;
  const planFile = async (file: string) => {
    const ext = extname(file).toLowerCase();
    const name = display(file);
    if (basename(file) === KEY_FINGERPRINT_FILE) {
      const text = statSync(file).size <= 256 ? readFileSync(file, 'utf8').trim() : '';
      if (/^[0-9a-f]{64}$/.test(text)) keyFingerprint = text;
      else problems.push(problemOf(name, say('file.key_fingerprint')));
      return;
    }
    if (ext === '.zip') return void planned.push({ kind: 'oneroster', name, zip: file });
    if (ext === '.json' || ext === '.ndjson' || ext === '.jsonl') {
      if (forced === 'xapi' || (!forced && looksLikeXapi(file))) planned.push({ kind: 'xapi', name, file });
      else
        problems.push({
          ...problemOf(name, say('file.json_not_xapi')),
          severity: 'warning',
        });
      return;
    }
    if (ext !== '.csv')
      return void problems.push({
        ...problemOf(name, say('file.unknown_type')),
        severity: 'warning',
      });
    const header = await readCsvHeaderLine(file);
    const kind = forced ?? feedOfCsvHeader(header.columns);
    if (!kind) {
      if (header.tooLong) return void problems.push(problemOf(name, say('file.header_too_long_any'), 1));
      // The column a file of the nearest feed lacks: what to add (an attendance file without student_id ...).
      const nearest = nearestFeed(header.columns);
      const said = nearest
        ? say('file.header_missing_column', { column: nearest.missing, feed: nearest.kind })
        : say('file.header_no_feed');
      return void problems.push(problemOf(name, said, 1, nearest?.missing ?? null));
    }
    const defect = headerDefect(header, kind);
    if (defect) return void problems.push(problemOf(name, defect.said, 1, defect.column));
    planned.push({ kind, name, file });
  };

  const planDir = async (dir: string) => {
    if (isFileAt(join(dir, 'manifest.csv'))) return void planned.push({ kind: 'oneroster', name: display(dir), dir });
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await planDir(full);
      else if (entry.isFile()) await planFile(full);
    }
  };

  /** The files of a package, each checked like a single CSV; null (problems recorded) when one cannot be read. */
  const packageFiles = async (dir: string, name: string): Promise<SourceFile[] | null> => {
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile() && f.name.toLowerCase().endsWith('.csv'))
      .map((f) => f.name)
      .sort();
    const found: Problem[] = [];
    const encodings = new Map<string, FileEncoding>();
    for (const file of files) {
      const full = join(dir, file);
      const header = await readCsvHeaderLine(full);
      const defect = headerDefect(header, 'oneroster');
      if (defect) found.push(problemOf(`${name}/${file}`, defect.said, 1, defect.column));
      else {
        const encoding = await encodingOf(full, options.encoding);
        encodings.set(file, encoding);
        if (encoding.encoding === null)
          found.push(encodingProblem(`${name}/${file}`, encoding.defect, header.columns, encoding.declared));
      }
    }
    if (found.length > 0) {
      problems.push(...found);
      return null;
    }
    return Promise.all(files.map((file) => sourceOf(join(dir, file), `${name}/${file}`, encodings.get(file)!)));
  };

  const read = async (item: Planned) => {
    if ('zip' in item) {
      const into = makeTempDir('shirube-zip-');
      temps.push(into);
      try {
        await extractZipPackage(item.zip, into);
      } catch (error) {
        if (error instanceof ZipRefused) return void problems.push(problemOf(item.name, error.said));
        throw error;
      }
      const pkg = packageRoot(into);
      if (!pkg) return void problems.push(problemOf(item.name, say('file.zip_no_manifest')));
      const files = await packageFiles(pkg, item.name);
      if (files) inputs.push({ kind: 'oneroster', name: item.name, dir: pkg, files });
      return;
    }
    if ('dir' in item) {
      const files = await packageFiles(item.dir, item.name);
      if (files) inputs.push({ kind: 'oneroster', name: item.name, dir: item.dir, files });
      return;
    }
    // JSON is UTF-8 by its own standard (RFC 8259): only CSV files may come in Shift_JIS.
    const encoding = await encodingOf(item.file, item.kind === 'xapi' ? 'utf-8' : options.encoding);
    if (encoding.encoding === null) {
      const header = item.kind === 'xapi' ? null : (await readCsvHeaderLine(item.file)).columns;
      return void problems.push(encodingProblem(item.name, encoding.defect, header, encoding.declared));
    }
    const source = await sourceOf(item.file, item.name, encoding, (path) => {
      if (item.kind !== 'xapi') options.beforeHash?.(item.kind, path);
    });
    inputs.push({ kind: item.kind, name: item.name, dir: dirname(source.path), files: [source] });
  };

  /**
   * A file as the feeds read it: itself when UTF-8, else its UTF-8 copy (in this batch's temporary
   * folder); its digest and size are the file's own, so a file sent again is known whatever its encoding.
   */
  let copies: string | null = null;
  const sourceOf = async (
    file: string,
    name: string,
    encoding: FileEncoding,
    readable: (path: string) => void = () => undefined,
  ): Promise<SourceFile> => {
    let path = file;
    if (encoding.encoding === 'shift_jis') {
      if (!copies) temps.push((copies = makeTempDir('shirube-utf8-')));
      path = await utf8CopyOf(file, copies);
    }
    readable(path);
    return {
      path,
      name,
      sha256: await sha256Of(file),
      bytes: statSync(file).size,
      ...(encoding.encoding === 'shift_jis' ? { encoding: 'shift_jis' as const } : {}),
    };
  };

  const cleanup = () => temps.forEach(removeTempDir);
  try {
    if (statSync(path).isDirectory()) await planDir(path);
    else await planFile(path);
    options.authorize?.(planned);
    for (const item of planned) await read(item);
  } catch (error) {
    cleanup();
    throw error;
  }
  const order = (kind: FeedKind) => FEED_KINDS.indexOf(kind);
  inputs.sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name, 'en'));
  return { inputs, keyFingerprint, problems, cleanup };
}
