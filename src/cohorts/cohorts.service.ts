import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { applyDisclosureControl, mergeReports } from '../disclosure/disclosure-control.js';
import type { DisclosureReport } from '../disclosure/disclosure.types.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { CasesRepository } from '../watch/cases.repository.js';
import { type CohortDefinition, definitionHash, parseCohortDefinition } from './cohort-definition.js';
import type { AttritionStep, CohortResult, ResultTable } from './cohort-result.js';
import { type AttritionCounts, CohortWarehouse } from './cohort-warehouse.js';
import { cohortVersionConflict } from './cohorts.errors.js';
import { CohortsRepository } from './cohorts.repository.js';
import type { SavedCohort } from './entities/saved-cohort.entity.js';
import type { MethodServices } from './methods/cohort-method.js';
import type { PlannedTable } from './methods/method-tables.js';
import { methodOf } from './methods/registry.js';

/** The inclusion rules in the order they apply, with the attrition column that counts what is left. */
const ATTRITION_STEPS: {
  step: string;
  label: { ja: string; en: string };
  applies: (d: CohortDefinition) => boolean;
}[] = [
  { step: 'enrolled', label: { ja: '対象年度に在籍', en: 'Enrolled in the academic years' }, applies: () => true },
  { step: 'grade', label: { ja: '学年', en: 'Grades' }, applies: (d) => Boolean(d.population.grades) },
  {
    step: 'school',
    label: { ja: '学校(種別・一覧・事業参加)', en: 'Schools (type, list, programme)' },
    applies: (d) => Boolean(d.population.schools),
  },
  {
    step: 'student',
    label: { ja: '児童生徒の属性', en: 'Student attributes' },
    applies: (d) => d.population.students?.sex !== undefined || d.population.students?.specialNeeds !== undefined,
  },
  {
    step: 'prior',
    label: { ja: '前年度の長期欠席', en: 'Long-term absence the year before' },
    applies: (d) => d.population.students?.longTermAbsentPriorYear !== undefined,
  },
];

export interface SavedCohortView {
  name: string;
  version: number;
  description: string | null;
  definitionHash: string;
  definition: CohortDefinition;
  createdBy: string;
  createdAt: string;
}

const viewOf = (c: SavedCohort): SavedCohortView => ({
  name: c.name,
  version: c.version,
  description: c.description,
  definitionHash: c.definitionHash,
  definition: c.definition,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
});

/**
 * Cohort queries for policy analysts: a definition in, aggregates out. Every table of every result
 * passes the central disclosure-control step before it leaves this service, and every run is audited
 * (who, the definition and its hash, rows in, cells redacted).
 */
@Injectable()
export class CohortsService {
  private readonly services: MethodServices;

  constructor(
    private readonly cohorts: CohortWarehouse,
    private readonly repository: CohortsRepository,
    private readonly audit: AuditService,
    metrics: MetricsService,
    @Inject(Warehouse) warehouse: Warehouse,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    cases: CasesRepository,
  ) {
    // Only what a case-based cohort needs crosses from the control plane: pseudonym, school, year, opening day.
    const caseOpenings = async (filter: { statuses: string[]; agencies: string[] }) =>
      (await cases.interventions(filter)).map((c) => ({
        student: c.student_pid,
        schoolCode: c.school_code,
        academicYear: Number(c.academic_year),
        openedOn: c.opened_on,
      }));
    this.services = { warehouse, metrics, config, caseOpenings };
  }

  /** Runs a definition given in the request; `signal` (the client went away) stops its queries. */
  query(body: unknown, signal?: AbortSignal): Promise<CohortResult> {
    return this.run(parseCohortDefinition(body), null, signal);
  }

  /** Runs a saved definition: the given version, or the latest. */
  async runSaved(name: string, version?: number, signal?: AbortSignal): Promise<CohortResult> {
    const saved =
      version === undefined ? await this.repository.latest(name) : await this.repository.version(name, version);
    if (!saved) throw notFound('cohort definition', version === undefined ? name : `${name} version ${version}`);
    return this.run(parseCohortDefinition(saved.definition), { name: saved.name, version: saved.version }, signal);
  }

  /** Saves a definition as the next version of `name` (the same definition as the latest version is not saved again). */
  async save(actor: Actor, name: string, description: string | null, body: unknown): Promise<SavedCohortView> {
    const definition = parseCohortDefinition(body);
    const hash = definitionHash(definition);
    try {
      return await this.repository.transaction(async (manager) => {
        const latest = await this.repository.latest(name, manager);
        if (latest && latest.definitionHash === hash && latest.description === description) return viewOf(latest);
        const saved = await this.repository.insert(manager, {
          name,
          version: (latest?.version ?? 0) + 1,
          description,
          definition,
          definitionHash: hash,
          createdBy: actor.name,
        });
        await this.audit.record(
          {
            action: 'cohort.save',
            targetType: 'cohort_definition',
            targetId: `${name}@${saved.version}`,
            after: viewOf(saved),
          },
          manager,
        );
        return viewOf(saved);
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw cohortVersionConflict(name);
      throw error;
    }
  }

  async list(page: PageRequest): Promise<Page<SavedCohortView>> {
    const [latest, total] = await this.repository.latestOfEach(page);
    return pageOf(latest.map(viewOf), total, page);
  }

  async versions(name: string, page: PageRequest): Promise<Page<SavedCohortView>> {
    const [versions, total] = await this.repository.versions(name, page);
    if (total === 0) throw notFound('cohort definition', name);
    return pageOf(versions.map(viewOf), total, page);
  }

  async version(name: string, version: number): Promise<SavedCohortView> {
    const saved = await this.repository.version(name, version);
    if (!saved) throw notFound('cohort definition', `${name} version ${version}`);
    return viewOf(saved);
  }

  private async run(
    definition: CohortDefinition,
    savedAs: CohortResult['savedAs'],
    signal: AbortSignal | undefined,
  ): Promise<CohortResult> {
    const analysis = definition.analysis!;
    const method = methodOf(analysis);
    const { planned, summary, afterDisclosure, attrition } = await this.cohorts.withPopulation(
      definition,
      method.groups(definition),
      method.needs(definition, analysis),
      async (cohort) => ({
        attrition: await cohort.attrition(),
        ...(await method.plan({ definition, analysis, cohort, services: this.services, signal })),
      }),
      signal,
    );

    const reports: DisclosureReport[] = [];
    const controlled = (table: PlannedTable): ResultTable => {
      const out = applyDisclosureControl(table.rows, table.spec, this.config.disclosure);
      reports.push(out.report);
      return { columns: table.columns, rows: out.rows };
    };
    const tables: Record<string, ResultTable> = {};
    for (const [name, table] of Object.entries(planned)) tables[name] = controlled(table);
    await afterDisclosure?.(tables, controlled);
    const attritionSteps = this.attritionSteps(definition, attrition);
    const attritionTable = controlled({
      columns: ['step', 'students', 'schools'],
      rows: attritionSteps.map((s) => ({ step: s.step, students: s.students, schools: s.schools })),
      spec: {
        columns: { step: { kind: 'dimension' }, students: { kind: 'count' }, schools: { kind: 'dimension' } },
        unit: 'area',
        schools: 'schools',
      },
    });
    attritionSteps.forEach((s, i) => (s.students = attritionTable.rows[i].students as number | null));

    const disclosure = mergeReports(reports);
    const hash = definitionHash(definition);
    const rowsIn = attrition.prior;
    await this.audit.record({
      action: 'cohort.run',
      targetType: 'cohort_definition',
      targetId: savedAs ? `${savedAs.name}@${savedAs.version}` : hash,
      after: {
        definitionHash: hash,
        definition,
        savedAs,
        method: analysis.method,
        rowsIn,
        cellsRedacted: disclosure.cellsRedacted,
      },
    });
    return {
      definition,
      definitionHash: hash,
      savedAs,
      method: analysis.method,
      ranAt: new Date().toISOString(),
      attrition: attritionSteps,
      primaryTable: Object.keys(tables)[0],
      tables,
      summary,
      disclosure,
    };
  }

  private attritionSteps(definition: CohortDefinition, counts: AttritionCounts): AttritionStep[] {
    const steps: AttritionStep[] = ATTRITION_STEPS.filter((s) => s.applies(definition)).map((s) => ({
      step: s.step,
      label: s.label,
      students: counts[s.step],
      schools: counts[`${s.step}_schools`],
    }));
    const needsScore =
      definition.outcomes.includes('assessment_score') || definition.analysis?.method === 'value_added';
    const needsAttendance = definition.outcomes.some(
      (o) => o === 'attendance_rate' || o === 'absence_days' || o === 'long_term_absence',
    );
    if (needsAttendance)
      steps.push({
        step: 'with_attendance',
        label: { ja: '出欠の記録あり', en: 'With attendance records' },
        students: counts.with_attendance,
        schools: counts.with_attendance_schools,
      });
    if (needsScore)
      steps.push({
        step: 'with_score',
        label: { ja: '学力調査の結果あり', en: 'With assessment results' },
        students: counts.with_score,
        schools: counts.with_score_schools,
      });
    return steps;
  }
}
