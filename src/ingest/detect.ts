import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';
import type { FeedInput, FeedKind, Problem, SourceFile } from './ingest.types.js';
import { FEED_KINDS } from './ingest.types.js';
import { readCsvHeader } from './staging.js';

export interface DetectedInputs {
  inputs: FeedInput[];
  /** Files that are no feed at all: reported, not loaded. */
  problems: Problem[];
  cleanup(): void;
}

/** Which feed a CSV is, by its header (the formats are fixed by the ingest spec). */
export function feedOfCsvHeader(header: string[]): FeedKind | null {
  const has = (...columns: string[]) => columns.every((c) => header.includes(c));
  if (has('programme_id', 'school_code', 'start_date')) return 'programmes';
  if (has('assessment_id', 'student_id', 'score')) return 'assessments';
  if (has('category', 'recorded_on', 'student_id')) return 'guidance';
  if (has('student_id', 'date', 'status')) return 'attendance';
  if (has('school_code', 'date') && !header.includes('student_id')) return 'calendar';
  return null;
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

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  // One 8 MB buffer read into again and again: a stream allocates a new chunk for every read, and
  // hashing a 1.4 GB file then waits on the garbage collector as much as on the hash.
  const buffer = Buffer.allocUnsafe(8 << 20);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

async function sourceFile(path: string, root: string): Promise<SourceFile> {
  return {
    path,
    name: relative(root, path).split(sep).join('/') || basename(path),
    sha256: await sha256Of(path),
    bytes: statSync(path).size,
  };
}

/** Unpacks a zip into a temporary folder, refusing entries that would land outside it. */
function extractZip(zipPath: string, into: string): void {
  const entries = unzipSync(readFileSync(zipPath));
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = normalize(join(into, name));
    if (!target.startsWith(into + sep))
      throw new Error(`${basename(zipPath)}: entry ${name} points outside the archive`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
}

/** A OneRoster package folder: its manifest sits at the top, or one folder down (zips often wrap a folder). */
function packageRoot(dir: string): string | null {
  if (existsSync(join(dir, 'manifest.csv'))) return dir;
  const children = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  if (children.length === 1 && existsSync(join(dir, children[0].name, 'manifest.csv')))
    return join(dir, children[0].name);
  return null;
}

/**
 * Finds the feeds in what was given: a file, a folder (walked; a folder holding manifest.csv is a
 * OneRoster package) or a zip (a OneRoster package). Inputs come back in load order: rosters first.
 */
export async function detectInputs(
  path: string,
  forced?: FeedKind,
  /** Called with each CSV's feed before the file is hashed: work that can read the file meanwhile. */
  beforeHash: (kind: FeedKind, path: string) => void = () => undefined,
): Promise<DetectedInputs> {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  const temps: string[] = [];
  const inputs: FeedInput[] = [];
  const problems: Problem[] = [];
  const root = statSync(path).isDirectory() ? path : dirname(path);

  const onerosterPackage = async (dir: string, displayRoot: string, displayName: string) => {
    const files = readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .sort();
    const sources = await Promise.all(files.map((f) => sourceFile(join(dir, f), displayRoot)));
    inputs.push({
      kind: 'oneroster',
      name: displayName,
      dir,
      files: sources.map((s) => ({ ...s, name: `${displayName}/${basename(s.path)}` })),
    });
  };

  const visitZip = async (zipPath: string) => {
    const into = mkdtempSync(join(tmpdir(), 'shirube-zip-'));
    temps.push(into);
    extractZip(zipPath, into);
    const pkg = packageRoot(into);
    const display = relative(root, zipPath).split(sep).join('/') || basename(zipPath);
    if (pkg) await onerosterPackage(pkg, pkg, display);
    else
      problems.push({
        severity: 'error',
        file: display,
        row: null,
        column: null,
        value: null,
        rule: 'zip holds no OneRoster manifest.csv',
      });
  };

  const visitFile = async (file: string) => {
    const ext = extname(file).toLowerCase();
    const display = relative(root, file).split(sep).join('/') || basename(file);
    if (ext === '.zip') return visitZip(file);
    if (ext === '.json' || ext === '.ndjson' || ext === '.jsonl') {
      if (forced === 'xapi' || (!forced && looksLikeXapi(file)))
        inputs.push({ kind: 'xapi', name: display, dir: dirname(file), files: [await sourceFile(file, root)] });
      else
        problems.push({
          severity: 'warning',
          file: display,
          row: null,
          column: null,
          value: null,
          rule: 'JSON that holds no xAPI statements (no "actor" and "verb"): ignored',
        });
      return;
    }
    if (ext !== '.csv') {
      problems.push({
        severity: 'warning',
        file: display,
        row: null,
        column: null,
        value: null,
        rule: 'not a CSV, JSON or zip file: ignored',
      });
      return;
    }
    const kind = forced ?? feedOfCsvHeader(await readCsvHeader(file));
    if (!kind) {
      problems.push({
        severity: 'error',
        file: display,
        row: 1,
        column: null,
        value: null,
        rule: 'header matches no feed (attendance, school_calendar, assessments, guidance_records, programmes)',
      });
      return;
    }
    beforeHash(kind, file);
    inputs.push({ kind, name: display, dir: dirname(file), files: [await sourceFile(file, root)] });
  };

  const visitDir = async (dir: string) => {
    const pkg = existsSync(join(dir, 'manifest.csv')) ? dir : null;
    if (pkg) return onerosterPackage(pkg, root, relative(root, pkg).split(sep).join('/') || basename(pkg));
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await visitDir(full);
      else if (entry.isFile()) await visitFile(full);
    }
  };

  try {
    if (statSync(path).isDirectory()) await visitDir(path);
    else await visitFile(path);
  } catch (error) {
    for (const temp of temps) rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const order = (kind: FeedKind) => FEED_KINDS.indexOf(kind);
  inputs.sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name, 'en'));
  return { inputs, problems, cleanup: () => temps.forEach((temp) => rmSync(temp, { recursive: true, force: true })) };
}
