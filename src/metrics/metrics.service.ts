import { INTEGER, LIST, listValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { schoolFilter } from '../auth/school-scope.js';
import { invalidField, notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { STORED_IN } from '../warehouse/storage-tables.js';
import { loadMetricCatalogue, MetricFileError, type MetricDefinition } from './metric-catalogue.js';
import { textOf } from '../common/text-of.js';

/** A metric's result, tidy: one row per school and combination of dimensions. */
export interface MetricValue {
  schoolCode: string;
  dims: Record<string, string>;
  value: number;
}

export interface MetricQuery {
  academicYear: number;
  /** undefined = every school the actor may see. */
  schools?: string[];
}

/**
 * A metric's declared source table as a FROM item: the table, or what stands for its school, year and batch where the
 * warehouse stores its rows in another form (storage-tables.ts).
 */
const tableOf = (source: string) => STORED_IN[source] ?? `"${source}"`;

/** Bound types, so that an empty school list or a NULL still binds. */
const PARAM_TYPES = { schools: LIST(VARCHAR), academic_year: INTEGER };

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : (value as number);
}

/** The metric catalogue of queries/metrics, checked against the warehouse at boot and run set-based for all schools at once. */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly catalogue = new Map<string, MetricDefinition>();
  /**
   * Every school's figures of a metric and year, and the batches behind a source table's rows of a year, as read
   * at the warehouse's mark (Warehouse.mark): kept until the data changes, so that surveys issued one after
   * another (a national template's elementary and junior-high forms) and the refresh of open responses read
   * each once. Only reads that began and ended at one mark are kept.
   */
  private readonly atMark = new Map<string, { mark: number; read: Promise<unknown> }>();

  constructor(@Inject(Warehouse) private readonly warehouse: Warehouse) {}

  /** A file whose header is wrong, whose SQL does not bind, or whose columns do not match its dimensions stops the start. */
  async onModuleInit(): Promise<void> {
    for (const metric of loadMetricCatalogue()) {
      let columns: string[];
      try {
        columns = await this.warehouse.read((session) =>
          session.columns(metric.sql, this.params(metric, { academicYear: 0, schools: [] }), PARAM_TYPES),
        );
      } catch (error) {
        throw new MetricFileError(metric.file, `the query does not run: ${(error as Error).message}`);
      }
      const expected = ['school_code', ...metric.dimensions, 'value'];
      if (columns.join(',') !== expected.join(',')) {
        throw new MetricFileError(
          metric.file,
          `the query returns columns (${columns.join(', ')}); its contract says (${expected.join(', ')})`,
        );
      }
      for (const source of metric.sources) {
        const found = await this.warehouse.all<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 AND column_name IN ('batch_id', 'school_code', 'academic_year')`,
          [source],
        );
        if (found.length !== 3)
          throw new MetricFileError(
            metric.file,
            `source ${source} is not a warehouse table with school_code, academic_year and batch_id`,
          );
      }
      this.catalogue.set(metric.id, metric);
    }
  }

  /** A read kept at the warehouse's mark (see atMark): the kept one while the data is unchanged, else read now. */
  private keptAtMark<T>(key: string, read: () => Promise<T>): Promise<T> {
    const mark = this.warehouse.mark;
    // One mark at a time: what was read at another (or before a write now under way) is of data that is gone.
    for (const [other, entry] of this.atMark) if (entry.mark !== mark) this.atMark.delete(other);
    const kept = this.atMark.get(key);
    if (kept) return kept.read as Promise<T>;
    const reading = read();
    if (mark === null) return reading;
    const entry = { mark, read: reading };
    this.atMark.set(key, entry);
    const forget = () => {
      if (this.atMark.get(key) === entry) this.atMark.delete(key);
    };
    // Kept only if no write began or ended while it read; a failed read is not kept.
    reading.then(() => (this.warehouse.mark === mark ? undefined : forget()), forget);
    return reading;
  }

  /**
   * Every school's rows of a metric for a year, by school (administrative: exact, no disclosure control). Shared
   * with every caller while the warehouse is unchanged: read-only.
   */
  async valuesBySchool(id: string, academicYear: number): Promise<ReadonlyMap<string, readonly MetricValue[]>> {
    this.get(id);
    return this.keptAtMark(`values|${id}|${academicYear}`, async () => {
      const bySchool = new Map<string, MetricValue[]>();
      for (const row of await this.values(id, { academicYear })) {
        const ofSchool = bySchool.get(row.schoolCode);
        if (ofSchool) ofSchool.push(row);
        else bySchool.set(row.schoolCode, [row]);
      }
      return bySchool;
    });
  }

  /**
   * The ingest batches whose rows each metric's figures for a year come from: metric → school → batch ids, sorted.
   * One query for each set of source tables the metrics read (a survey binds many metrics, most of them reading the
   * same tables), the queries side by side. A school's list is shared, read-only: by the metrics that read the same
   * tables, and by the schools loaded by the same batches (with daily loads, every school's attendance comes from
   * the same ~200 batches a year: one list, not one per school and metric).
   */
  async batchesBehind(
    ids: string[],
    academicYear: number,
    schools: string[],
  ): Promise<Map<string, Map<string, readonly string[]>>> {
    const wanted = new Set(schools);
    const lists = await this.bySourceSet(ids, (sources) => this.batchesOfSources(sources, academicYear));
    return new Map([...lists].map(([id, ofSet]) => [id, new Map([...ofSet].filter(([school]) => wanted.has(school)))]));
  }

  /** What `read` finds for each metric's set of source tables (metric → it), read once for each set, side by side. */
  private async bySourceSet<T>(ids: string[], read: (sources: string[]) => Promise<T>): Promise<Map<string, T>> {
    const sourceSets = new Map(ids.map((id) => [id, [...new Set(this.get(id).sources)].sort()]));
    const bySet = new Map<string, Promise<T>>();
    for (const sources of sourceSets.values()) {
      const key = sources.join(' ');
      if (!bySet.has(key)) bySet.set(key, read(sources));
    }
    // Awaited together: one failing does not leave the others' failures unhandled.
    const found = new Map(await Promise.all([...bySet].map(async ([key, reading]) => [key, await reading] as const)));
    return new Map([...sourceSets].map(([id, sources]) => [id, found.get(sources.join(' '))!]));
  }

  /**
   * Every school's batches behind a set of source tables, sorted (kept at the mark): school → batch ids. One query for
   * the set: DuckDB makes each school's list (the union of the tables' batches) as one string and groups the schools
   * with the same list, so a list is read and split once and shared by its schools (with daily loads, ~200 batches a
   * school and a few hundred lists in all: reading every batch id of every list as a string of its own was most of
   * the issue's own work).
   */
  private batchesOfSources(sources: string[], academicYear: number): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.keptAtMark(`batchlists|${sources.join(' ')}|${academicYear}`, async () => {
      // Source tables are catalogue names checked against the warehouse at boot (onModuleInit); the year is bound.
      const ofSources = sources
        .map(
          (source) =>
            `SELECT school_code, CAST(batch_id AS VARCHAR) AS batch_id FROM ${tableOf(source)}
             WHERE academic_year = $academic_year AND batch_id IS NOT NULL`,
        )
        .join(' UNION ALL ');
      const rows = await this.warehouse.all<{ schools: string[]; batches: string }>(
        `SELECT list(school_code) AS schools, batches
         FROM (SELECT school_code, string_agg(batch_id, ' ' ORDER BY batch_id) AS batches
               FROM (SELECT DISTINCT school_code, batch_id FROM (${ofSources})) GROUP BY school_code)
         GROUP BY batches`,
        { academic_year: academicYear },
        PARAM_TYPES,
      );
      const perSchool = new Map<string, readonly string[]>();
      for (const { schools, batches } of rows) {
        const list = batches.split(' ');
        for (const school of schools) perSchool.set(school, list);
      }
      return perSchool;
    });
  }

  /**
   * The schools the warehouse holds a metric's data of for a year: those with rows of the year in every source table
   * the metric reads (metric → schools). There a metric without a row for the school means 0, as for this year's
   * figure; elsewhere the year was not loaded and last year's figure is unknown. One query for each set of source
   * tables, kept at the mark.
   */
  schoolsHeld(ids: string[], academicYear: number): Promise<Map<string, ReadonlySet<string>>> {
    return this.bySourceSet(ids, (sources) => this.schoolsWithRows(sources, academicYear));
  }

  /** The schools with rows of a year in every one of the source tables (kept at the mark). */
  private schoolsWithRows(sources: string[], academicYear: number): Promise<ReadonlySet<string>> {
    return this.keptAtMark(`held|${sources.join(' ')}|${academicYear}`, async () => {
      // Source tables are catalogue names checked against the warehouse at boot (onModuleInit); the year is bound.
      const inEvery = sources
        .map((source) => `SELECT DISTINCT school_code FROM ${tableOf(source)} WHERE academic_year = $academic_year`)
        .join(' INTERSECT ');
      const rows = await this.warehouse.all<{ school_code: string }>(
        inEvery,
        { academic_year: academicYear },
        PARAM_TYPES,
      );
      return new Set(rows.map((row) => row.school_code));
    });
  }

  list(): MetricDefinition[] {
    return [...this.catalogue.values()];
  }

  get(id: string): MetricDefinition {
    const metric = this.catalogue.get(id);
    if (!metric) throw notFound('metric', id);
    return metric;
  }

  /** Values for the schools the actor may see (a school: its own only). */
  async valuesFor(actor: Actor, id: string, query: MetricQuery): Promise<MetricValue[]> {
    const allowed = schoolFilter(actor);
    const schools = allowed ? (query.schools ?? allowed).filter((code) => allowed.includes(code)) : query.schools;
    return this.values(id, { ...query, schools });
  }

  /** Values for all target schools in one query (administrative: exact, no disclosure control). */
  async values(id: string, query: MetricQuery): Promise<MetricValue[]> {
    const metric = this.get(id);
    if (!Number.isInteger(query.academicYear) || query.academicYear < 2000 || query.academicYear > 2100) {
      throw invalidField(
        'academicYear',
        'a school year such as 2025',
        'academicYear must be a school year such as 2025',
      );
    }
    const rows = await this.warehouse.all(metric.sql, this.params(metric, query), PARAM_TYPES);
    // Rows with the same dimension values share one dims object (read-only): a metric has a few hundred combinations
    // at most over thousands of rows, and a survey's filters are then tested once per combination (prefill.ts).
    const dimsOf = new Map<string, Record<string, string>>();
    return rows.map((row) => {
      const values = metric.dimensions.map((dimension) => textOf(row[dimension]));
      const key = values.join('\u0000');
      let dims = dimsOf.get(key);
      if (!dims) {
        dims = Object.fromEntries(metric.dimensions.map((dimension, i) => [dimension, values[i]]));
        dimsOf.set(key, dims);
      }
      return { schoolCode: row.school_code as string, dims, value: toNumber(row.value) };
    });
  }

  private params(metric: MetricDefinition, query: MetricQuery): Record<string, DuckDBValue> {
    const params: Record<string, DuckDBValue> = { schools: query.schools ? listValue(query.schools) : null };
    if (metric.parameters.includes('academic_year')) params.academic_year = query.academicYear;
    return params;
  }
}
