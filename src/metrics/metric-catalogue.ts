import { basename, join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { headerList, loadSqlCatalogue, readSqlHeader } from '../common/sql-header.js';

/** The parameters a metric query may take; `schools` (a list of codes, NULL = all) is always bound. */
export const METRIC_PARAMETERS = ['academic_year'] as const;
export type MetricParameter = (typeof METRIC_PARAMETERS)[number];

/** A metric's contract, from the header comment of its file in queries/metrics/. */
export interface MetricDefinition {
  id: string;
  title: { ja: string; en: string };
  description: { ja: string; en: string };
  unit: string;
  dimensions: string[];
  parameters: MetricParameter[];
  /** The survey item it answers. */
  answers: string;
  /** Warehouse tables its figures come from (each row names its ingest batch: the provenance of a figure). */
  sources: string[];
  sql: string;
  file: string;
}

const REQUIRED_KEYS = [
  'id',
  'title.ja',
  'title.en',
  'description.ja',
  'description.en',
  'unit',
  'dimensions',
  'parameters',
  'answers',
] as const;
const ID_PATTERN = /^[a-z]+(\.[a-z_]+)+$/;

export class MetricFileError extends Error {
  constructor(file: string, message: string) {
    super(`metric file queries/metrics/${file}: ${message}`);
    this.name = 'MetricFileError';
  }
}

/** Reads one metric file: the `-- key: value` header up to the first SQL line, then the query. */
export function parseMetricFile(file: string, text: string): MetricDefinition {
  const { header, sql } = readSqlHeader(text, (message) => {
    throw new MetricFileError(file, message);
  });
  for (const key of REQUIRED_KEYS)
    if (!header.has(key)) throw new MetricFileError(file, `header lacks "-- ${key}: ..."`);
  const get = (key: (typeof REQUIRED_KEYS)[number]) => header.get(key) as string;
  const id = get('id');
  if (!ID_PATTERN.test(id)) throw new MetricFileError(file, `id "${id}" must look like domain.name`);
  if (`${id}.sql` !== basename(file)) throw new MetricFileError(file, `id "${id}" does not match the file name`);
  for (const key of ['title.ja', 'title.en', 'description.ja', 'description.en', 'unit', 'answers'] as const) {
    if (!get(key)) throw new MetricFileError(file, `"${key}" is empty`);
  }
  const parameters = headerList(get('parameters'));
  for (const parameter of parameters) {
    if (!(METRIC_PARAMETERS as readonly string[]).includes(parameter))
      throw new MetricFileError(file, `unknown parameter "${parameter}" (known: ${METRIC_PARAMETERS.join(', ')})`);
  }
  if (!sql) throw new MetricFileError(file, 'no query after the header');
  if (!sql.includes('$schools'))
    throw new MetricFileError(file, 'the query must filter by $schools (NULL = all schools)');
  return {
    id,
    title: { ja: get('title.ja'), en: get('title.en') },
    description: { ja: get('description.ja'), en: get('description.en') },
    unit: get('unit'),
    dimensions: headerList(get('dimensions')),
    parameters: parameters as MetricParameter[],
    answers: get('answers'),
    sources: headerList(header.get('sources') ?? ''),
    sql,
    file,
  };
}

export function metricsDir(): string {
  return join(projectRoot(), 'queries', 'metrics');
}

/** Every metric file, parsed; the first broken one stops the start with its name. */
export function loadMetricCatalogue(dir = metricsDir()): MetricDefinition[] {
  return loadSqlCatalogue(dir, 'metric', parseMetricFile);
}
