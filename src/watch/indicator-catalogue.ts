import { basename, join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { headerList, loadSqlCatalogue, readSqlHeader } from '../common/sql-header.js';

/** A threshold of an indicator: its default is in the file's header; the board may change it (watch.service). */
export type IndicatorParameter =
  | { name: string; type: 'integer'; min: number; max: number; default: number }
  | { name: string; type: 'text'; choices: string[]; default: string };

/**
 * How an indicator puts a student on the watch list: `alone` (it is enough by itself: the attendance
 * signs) or `with_another` (only together with one more indicator: a bullying record or a lower score is
 * no warning of non-attendance by itself, and most students with one never stay away).
 */
export type IndicatorFlagRule = 'alone' | 'with_another';

/** An indicator's contract, from the header comment of its file in queries/indicators/. */
export interface IndicatorDefinition {
  id: string;
  title: { ja: string; en: string };
  /** With `{parameter}` placeholders, filled with the thresholds in force. */
  description: { ja: string; en: string };
  unit: string;
  sources: string[];
  parameters: IndicatorParameter[];
  /** Weight in the watch list's urgency (the sum of the weights of the indicators that fired). */
  urgency: number;
  flags: IndicatorFlagRule;
  sql: string;
  file: string;
}

/** What every indicator query binds besides its parameters. */
export const INDICATOR_BINDINGS = ['as_of', 'academic_year', 'schools'] as const;
/** What every indicator query returns: one row per student for whom it fires. */
export const INDICATOR_COLUMNS = ['school_code', 'student_pid', 'value', 'since'] as const;

const REQUIRED_KEYS = [
  'id',
  'title.ja',
  'title.en',
  'description.ja',
  'description.en',
  'unit',
  'sources',
  'parameters',
  'urgency',
  'flags',
] as const;
const ID_PATTERN = /^[a-z]+(\.[a-z_]+)+$/;
const PARAMETER_PATTERN = /^([a-z_]+):(integer|text)\(([^)]*)\)=(.+)$/;

export class IndicatorFileError extends Error {
  constructor(file: string, message: string) {
    super(`indicator file queries/indicators/${file}: ${message}`);
    this.name = 'IndicatorFileError';
  }
}

function parseParameter(file: string, text: string): IndicatorParameter {
  const match = PARAMETER_PATTERN.exec(text.trim());
  if (!match)
    throw new IndicatorFileError(file, `parameter "${text}" must look like name:integer(1..60)=20 or name:text(a|b)=a`);
  const [, name, type, range, value] = match;
  if ((INDICATOR_BINDINGS as readonly string[]).includes(name))
    throw new IndicatorFileError(file, `parameter "${name}" is bound by Shirube itself`);
  if (type === 'text') {
    const choices = range.split('|').map((choice) => choice.trim());
    if (!choices.includes(value)) throw new IndicatorFileError(file, `default of "${name}" is not one of its choices`);
    return { name, type, choices, default: value };
  }
  const bounds = /^(\d+)\.\.(\d+)$/.exec(range);
  if (!bounds) throw new IndicatorFileError(file, `range of "${name}" must look like 1..60`);
  const [min, max, fallback] = [Number(bounds[1]), Number(bounds[2]), Number(value)];
  if (!Number.isInteger(fallback) || fallback < min || fallback > max)
    throw new IndicatorFileError(file, `default of "${name}" is not an integer in ${min}..${max}`);
  return { name, type: 'integer', min, max, default: fallback };
}

/** Reads one indicator file: the `-- key: value` header up to the first SQL line, then the query. */
export function parseIndicatorFile(file: string, text: string): IndicatorDefinition {
  const { header, sql } = readSqlHeader(text, (message) => {
    throw new IndicatorFileError(file, message);
  });
  for (const key of REQUIRED_KEYS)
    if (!header.get(key)) throw new IndicatorFileError(file, `header lacks "-- ${key}: ..."`);
  const get = (key: (typeof REQUIRED_KEYS)[number]) => header.get(key) as string;
  const id = get('id');
  if (!ID_PATTERN.test(id)) throw new IndicatorFileError(file, `id "${id}" must look like domain.name`);
  if (`${id}.sql` !== basename(file)) throw new IndicatorFileError(file, `id "${id}" does not match the file name`);
  const parameters = headerList(get('parameters')).map((item) => parseParameter(file, item));
  const names = parameters.map((parameter) => parameter.name);
  if (new Set(names).size !== names.length) throw new IndicatorFileError(file, 'a parameter is named twice');
  const urgency = Number(get('urgency'));
  if (!Number.isInteger(urgency) || urgency < 1 || urgency > 10)
    throw new IndicatorFileError(file, 'urgency must be an integer from 1 to 10');
  const flags = get('flags');
  if (flags !== 'alone' && flags !== 'with_another')
    throw new IndicatorFileError(file, 'flags must be "alone" or "with_another"');
  if (!sql) throw new IndicatorFileError(file, 'no query after the header');
  if (!sql.includes('$as_of')) throw new IndicatorFileError(file, 'the query must use $as_of');
  // The year's students of the schools asked for: from watch_students (indicator-engine), or bound by the file.
  if (!/\bwatch_students\b/.test(sql))
    for (const binding of ['$academic_year', '$schools'])
      if (!sql.includes(binding))
        throw new IndicatorFileError(file, `the query must use ${binding} or read watch_students`);
  for (const name of names)
    if (!new RegExp(`\\$${name}\\b`).test(sql))
      throw new IndicatorFileError(file, `parameter "${name}" is declared and never used`);
  for (const used of sql.matchAll(/\$([a-z_]+)/g)) {
    if (!(INDICATOR_BINDINGS as readonly string[]).includes(used[1]) && !names.includes(used[1]))
      throw new IndicatorFileError(file, `the query uses $${used[1]}, which is no parameter`);
  }
  for (const key of ['description.ja', 'description.en'] as const) {
    for (const placeholder of get(key).matchAll(/\{([a-z_]+)\}/g))
      if (!names.includes(placeholder[1]))
        throw new IndicatorFileError(file, `${key} names {${placeholder[1]}}, which is no parameter`);
  }
  return {
    id,
    title: { ja: get('title.ja'), en: get('title.en') },
    description: { ja: get('description.ja'), en: get('description.en') },
    unit: get('unit'),
    sources: headerList(get('sources')),
    parameters,
    urgency,
    flags,
    sql,
    file,
  };
}

export function indicatorsDir(): string {
  return join(projectRoot(), 'queries', 'indicators');
}

/** Every indicator file, parsed; the first broken one stops the start with its name. */
export function loadIndicatorCatalogue(dir = indicatorsDir()): IndicatorDefinition[] {
  return loadSqlCatalogue(dir, 'indicator', parseIndicatorFile);
}

/** A description with the thresholds in force written in. */
export function describe(
  indicator: IndicatorDefinition,
  values: Record<string, number | string>,
  locale: 'ja' | 'en',
): string {
  return indicator.description[locale].replace(/\{([a-z_]+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
