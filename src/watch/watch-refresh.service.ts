import { DATE, LIST, listValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { computeWatchList, dateValue, watchListParams, watchListSql, type FiredIndicator } from './indicator-engine.js';
import { IndicatorSettings } from './indicator-settings.service.js';

const SQL = {
  touched: sqlFile('watch/touched-schools'),
  latestDay: sqlFile('watch/latest-attendance-day'),
  store: sqlFile('watch/store-list')
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean),
};

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Computes watch lists: on demand as of a date (stores nothing), and each school's stored list, refreshed
 * after every batch for the schools it touched. All indicators run as one set-based query (indicator-engine).
 */
@Injectable()
export class WatchRefresher {
  private readonly logger = new Logger('WatchRefresher');

  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly settings: IndicatorSettings,
  ) {}

  /** The watch list as of a date, computed now (schools: null = every school). */
  async compute(asOf: string, schools: string[] | null): Promise<FiredIndicator[]> {
    const thresholds = await this.settings.thresholds();
    return this.warehouse.read((session) =>
      computeWatchList(session, this.settings.catalogue(), thresholds, asOf, schools),
    );
  }

  /** Computes and stores the current watch lists of some schools as of a date. */
  async refresh(schools: string[], asOf: string): Promise<number> {
    if (schools.length === 0) return 0;
    const thresholds = await this.settings.thresholds();
    const { params, types } = watchListParams(this.settings.catalogue(), thresholds, asOf, schools);
    return this.warehouse.transaction(async (session) => {
      await session.run(
        `CREATE OR REPLACE TEMP TABLE watch_new AS ${watchListSql(this.settings.catalogue())}`,
        params,
        types,
      );
      const [{ n }] = await session.all<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM temp.watch_new');
      await session.run(
        'CREATE OR REPLACE TEMP TABLE watch_new AS SELECT school_code, student_pid, indicator_id, value, CAST(since AS DATE) AS since FROM temp.watch_new',
      );
      const storeParams: Record<string, DuckDBValue> = {
        as_of: dateValue(asOf),
        schools: listValue(schools),
        thresholds: JSON.stringify(thresholds),
      };
      for (const statement of SQL.store) {
        const named = Object.keys(storeParams).filter((name) => new RegExp(`\\$${name}\\b`).test(statement));
        await session.run(
          statement,
          Object.fromEntries(named.map((name) => [name, storeParams[name]])),
          Object.fromEntries(
            named.map((name) => [name, { as_of: DATE, schools: LIST(VARCHAR), thresholds: VARCHAR }[name]]),
          ),
        );
      }
      return n;
    });
  }

  /**
   * After a batch committed: refreshes the lists of the schools it touched, as of the last attendance day it
   * loaded (or, for a batch without attendance, the last attendance day the warehouse holds for them), never later than today.
   */
  async refreshAfterBatch(batchId: string): Promise<void> {
    const touched = await this.warehouse.all<{ school_code: string; last_day: string | null }>(SQL.touched, {
      batch: batchId,
    });
    if (touched.length === 0) return;
    const schools = touched.map((row) => row.school_code);
    const loaded = touched.map((row) => row.last_day).filter((day): day is string => day !== null);
    let asOf = loaded.sort().at(-1) ?? null;
    if (!asOf) {
      const [row] = await this.warehouse.all<{ last_day: string | null }>(
        SQL.latestDay,
        { schools: listValue(schools), today: dateValue(today()) },
        { schools: LIST(VARCHAR), today: DATE },
      );
      asOf = row?.last_day ?? null;
    }
    if (!asOf) return;
    if (asOf > today()) asOf = today();
    const flags = await this.refresh(schools, asOf);
    this.logger.log(
      `watch lists of ${schools.length} schools refreshed as of ${asOf} after batch ${batchId}: ${flags} flags`,
    );
  }
}
