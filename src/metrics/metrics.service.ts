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
   * The ingest batches behind a source table's rows of a year: school → batch ids, sorted. Schools loaded by the
   * same batches share one list: DuckDB groups them (with daily loads, ~200 batches for every school: a handful of
   * lists, not 200,000 rows to read).
   */
  private batchesOfSource(source: string, academicYear: number): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.keptAtMark(`batches|${source}|${academicYear}`, async () => {
      const perSchool = new Map<string, readonly string[]>();
      const rows = await this.warehouse.all<{ schools: string[]; batches: string[] }>(
        `SELECT list(school_code) AS schools, batches
         FROM (SELECT school_code, list(batch_id ORDER BY batch_id) AS batches
               FROM (SELECT DISTINCT school_code, CAST(batch_id AS VARCHAR) AS batch_id
                     FROM ${STORED_IN[source] ?? `"${source}"`} WHERE academic_year = $academic_year AND batch_id IS NOT NULL)
               GROUP BY school_code)
         GROUP BY batches`,
        { academic_year: academicYear },
        PARAM_TYPES,
      );
      for (const { schools, batches } of rows) for (const school of schools) perSchool.set(school, batches);
      return perSchool;
    });
  }

  /**
   * The ingest batches whose rows each metric's figures for a year come from: metric → school → batch ids, sorted.
   * Each source table is scanned once for all the metrics that read it (a survey binds many), the tables side by side.
   * A school's list is made once for each set of source tables and shared, read-only: by the metrics that read the
   * same tables, and by the schools loaded by the same batches (with daily loads, every school's attendance comes
   * from the same ~200 batches a year: one list, not one per school and metric).
   */
  async batchesBehind(
    ids: string[],
    academicYear: number,
    schools: string[],
  ): Promise<Map<string, Map<string, readonly string[]>>> {
    const wanted = new Set(schools);
    const sourceSets = new Map(ids.map((id) => [id, [...new Set(this.get(id).sources)].sort()]));
    const bySet = new Map<string, Promise<ReadonlyMap<string, readonly string[]>>>();
    for (const sources of sourceSets.values()) {
      const key = sources.join(' ');
      if (!bySet.has(key)) bySet.set(key, this.batchesOfSources(sources, academicYear));
    }
    const lists = new Map<string, ReadonlyMap<string, readonly string[]>>();
    for (const [key, reading] of bySet) lists.set(key, await reading);
    return new Map(
      ids.map((id) => {
        const ofSet = lists.get(sourceSets.get(id)!.join(' '))!;
        return [id, new Map([...ofSet].filter(([school]) => wanted.has(school)))];
      }),
    );
  }

  /**
   * Every school's batches behind a set of source tables, sorted (kept at the mark): the union of its lists of each
   * table, made once for each combination of lists and shared by the schools that have it.
   */
  private batchesOfSources(sources: string[], academicYear: number): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.keptAtMark(`batchlists|${sources.join(' ')}|${academicYear}`, async () => {
      const found = await Promise.all(sources.map((source) => this.batchesOfSource(source, academicYear)));
      if (found.length === 1) return found[0];
      const numbers = new Map<readonly string[], number>();
      const numberOf = (list: readonly string[] | undefined) => {
        if (!list) return -1;
        let n = numbers.get(list);
        if (n === undefined) numbers.set(list, (n = numbers.size));
        return n;
      };
      const unions = new Map<string, readonly string[]>();
      const out = new Map<string, readonly string[]>();
      for (const school of new Set(found.flatMap((perSchool) => [...perSchool.keys()]))) {
        const lists = found.map((perSchool) => perSchool.get(school));
        const key = lists.map(numberOf).join(' ');
        let union = unions.get(key);
        if (!union) {
          union = [...new Set(lists.flatMap((list) => list ?? []))].sort();
          unions.set(key, union);
        }
        out.set(school, union);
      }
      return out;
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
    return rows.map((row) => ({
      schoolCode: row.school_code as string,
      dims: Object.fromEntries(metric.dimensions.map((dimension) => [dimension, textOf(row[dimension])])),
      value: toNumber(row.value),
    }));
  }

  private params(metric: MetricDefinition, query: MetricQuery): Record<string, DuckDBValue> {
    const params: Record<string, DuckDBValue> = { schools: query.schools ? listValue(query.schools) : null };
    if (metric.parameters.includes('academic_year')) params.academic_year = query.academicYear;
    return params;
  }
}
