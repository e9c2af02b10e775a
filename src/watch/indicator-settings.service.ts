import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { invalidField, notFound } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import { Warehouse } from '../warehouse/warehouse.js';
import {
  describe,
  INDICATOR_COLUMNS,
  IndicatorFileError,
  loadIndicatorCatalogue,
  type IndicatorDefinition,
} from './indicator-catalogue.js';
import { standaloneIndicatorSql, watchListParams, type Thresholds } from './indicator-engine.js';
import { WatchRepository } from './watch.repository.js';
import type { IndicatorView } from './dto/watch.dto.js';

/**
 * The indicator catalogue of queries/indicators, checked against the warehouse at start, and the thresholds
 * in force: each file's defaults, overridden by what the board set (audited). Read at every computation, so a
 * change applies from the next one.
 */
@Injectable()
export class IndicatorSettings implements OnModuleInit {
  private indicators: IndicatorDefinition[] = [];

  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly repository: WatchRepository,
    private readonly audit: AuditService,
  ) {}

  /** A file whose header is wrong, whose query does not run, or whose columns break the contract stops the start. */
  async onModuleInit(): Promise<void> {
    const indicators = loadIndicatorCatalogue();
    for (const indicator of indicators) {
      const { params, types } = watchListParams([indicator], {}, '2000-04-01', []);
      const renamed = indicator.sql.replace(/\$([a-z_]+)\b/g, (whole, name: string) =>
        ['as_of', 'academic_year', 'schools'].includes(name) ? whole : `$p0_${name}`,
      );
      const bound = Object.fromEntries(Object.entries(params).filter(([name]) => !name.startsWith('k0_')));
      let columns: string[];
      try {
        columns = await this.warehouse.read((session) =>
          session.columns(standaloneIndicatorSql(renamed), bound, types),
        );
      } catch (error) {
        throw new IndicatorFileError(indicator.file, `the query does not run: ${(error as Error).message}`);
      }
      if (columns.join(',') !== INDICATOR_COLUMNS.join(','))
        throw new IndicatorFileError(
          indicator.file,
          `the query returns columns (${columns.join(', ')}); the contract is (${INDICATOR_COLUMNS.join(', ')})`,
        );
      for (const source of indicator.sources) {
        const found = await this.warehouse.all(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`,
          [source],
        );
        if (found.length === 0)
          throw new IndicatorFileError(indicator.file, `source ${source} is not a warehouse table or view`);
      }
    }
    this.indicators = indicators;
  }

  catalogue(): IndicatorDefinition[] {
    return this.indicators;
  }

  indicator(id: string): IndicatorDefinition {
    const found = this.indicators.find((indicator) => indicator.id === id);
    if (!found) throw notFound('indicator', id);
    return found;
  }

  /** The thresholds in force: each file's defaults, overridden by what the board set. Read at every computation. */
  async thresholds(): Promise<Thresholds> {
    const thresholds: Thresholds = Object.fromEntries(
      this.indicators.map((indicator) => [
        indicator.id,
        Object.fromEntries(indicator.parameters.map((parameter) => [parameter.name, parameter.default])),
      ]),
    );
    for (const row of await this.repository.thresholds()) {
      const indicator = this.indicators.find((candidate) => candidate.id === row.indicator_id);
      const parameter = indicator?.parameters.find((candidate) => candidate.name === row.parameter);
      if (!indicator || !parameter) continue; // a setting of an indicator or parameter no longer in the catalogue
      thresholds[indicator.id][parameter.name] = parameter.type === 'integer' ? Number(row.value) : row.value;
    }
    return thresholds;
  }

  /** The board changes thresholds of one indicator (audited, before and after); they apply from the next computation. */
  async setThresholds(
    actor: Actor,
    id: string,
    values: Record<string, unknown>,
  ): Promise<Record<string, number | string>> {
    const indicator = this.indicator(id);
    const before = (await this.thresholds())[id];
    const after = { ...before };
    for (const [name, value] of Object.entries(values)) {
      const parameter = indicator.parameters.find((candidate) => candidate.name === name);
      const field = `parameters.${name}`;
      if (!parameter) throw invalidField(field, `${id} has no parameter ${name}`);
      if (parameter.type === 'integer') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < parameter.min || value > parameter.max)
          throw invalidField(field, `${name} must be an integer from ${parameter.min} to ${parameter.max}`);
        after[name] = value;
      } else {
        if (typeof value !== 'string' || !parameter.choices.includes(value))
          throw invalidField(field, `${name} must be one of ${parameter.choices.join(', ')}`);
        after[name] = value;
      }
    }
    await this.repository.transaction(async (manager) => {
      for (const [name, value] of Object.entries(after))
        if (value !== before[name]) await this.repository.setThreshold(manager, id, name, String(value), actor.userId);
      await this.audit.record(
        { action: 'watch.thresholds.update', targetType: 'indicator', targetId: id, before, after },
        manager,
      );
    });
    return after;
  }

  /** The catalogue as the API shows it: each indicator with its thresholds in force written into its description. */
  async views(): Promise<IndicatorView[]> {
    const thresholds = await this.thresholds();
    return this.indicators.map((indicator) => indicatorView(indicator, thresholds[indicator.id]));
  }

  async setThresholdsView(actor: Actor, id: string, values: Record<string, unknown>): Promise<IndicatorView> {
    const after = await this.setThresholds(actor, id, values);
    return indicatorView(this.indicator(id), after);
  }
}

function indicatorView(indicator: IndicatorDefinition, values: Record<string, number | string>): IndicatorView {
  return {
    id: indicator.id,
    title: indicator.title,
    description: { ja: describe(indicator, values, 'ja'), en: describe(indicator, values, 'en') },
    unit: indicator.unit,
    sources: indicator.sources,
    parameters: indicator.parameters.map((parameter) => ({ ...parameter, value: values[parameter.name] })),
    urgency: indicator.urgency,
    flags: indicator.flags,
  };
}
