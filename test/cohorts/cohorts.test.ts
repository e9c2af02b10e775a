import { tableFromIPC } from 'apache-arrow';
import { funnelLimits } from '../../src/analysis/funnel.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Truth {
  academicYears: number[];
  schools: { code: string; type: string; supportRoomFrom: number | null; highGrowth: boolean }[];
  highGrowth: { valueAddedPoints: number; schoolCodes: string[] };
  programmes: { programmeId: string; effectPoints?: number }[];
}
type Row = Record<string, string | number | boolean | null>;
interface Result {
  method: string;
  definitionHash: string;
  savedAs: { name: string; version: number } | null;
  attrition: { step: string; students: number | null; schools: number }[];
  primaryTable: string;
  tables: Record<string, { columns: string[]; rows: Row[] }>;
  summary: Record<string, unknown>;
  disclosure: { cellsRedacted: number; rules: string[]; rulesJa: string[]; settings: { maxRedactedCount: number } };
}

/** The demo municipality of `npm run demo` (12 schools, 4,000 students, FY2023–2025, seed 1), with its planted effects. */
const DEMO = { schools: 12, students: 4000, years: 3, seed: 1 };
const PLANTED_EFFECT = 0.015; // +1.5 percentage points of attendance rate from adoption on (src/demo/demo-parameters.ts)
const YEARS = [2023, 2024, 2025];

/** Columns that count students in any cohort output (the disclosure spec's count columns). */
const COUNT_COLUMNS = ['students', 'attendance_students', 'long_term_absent', 'assessed'];

describe('cohort queries on the demo municipality (real stores)', () => {
  let t: TestApp;
  let truth: Truth;
  const results: Result[] = [];

  const run = async (definition: unknown, token = t.tokens.analyst): Promise<Result> => {
    const response = await t
      .http()
      .post('/api/cohorts/query')
      .set('Authorization', `Bearer ${token}`)
      .send(definition as object);
    if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
    results.push(response.body as Result);
    return response.body as Result;
  };

  beforeAll(async () => {
    t = await startTestApp();
    truth = await loadMunicipality<Truth>(t, DEMO);
  });
  afterAll(async () => t.close());

  describe('difference-in-differences recovers the planted programme effect', () => {
    it('2×2: adopters of FY2024 against schools not in the programme in FY2023–2024', async () => {
      const result = await run({
        population: { academicYears: YEARS },
        outcomes: ['attendance_rate'],
        analysis: {
          method: 'did_2x2',
          programme: 'prog-support-room',
          outcome: 'attendance_rate',
          preYears: [2023],
          postYears: [2024],
        },
      });
      const [effect] = result.tables.effect.rows;
      const treated = truth.schools.filter((s) => s.supportRoomFrom === 2024).length;
      expect(effect.treated_schools).toBe(treated);
      expect(effect.lower as number).toBeLessThanOrEqual(PLANTED_EFFECT);
      expect(effect.upper as number).toBeGreaterThanOrEqual(PLANTED_EFFECT);
      expect(effect.lower as number).toBeGreaterThan(0);
      expect(result.tables.trends.rows.map((r) => `${r.arm}|${r.period}`)).toEqual(
        YEARS.flatMap((y) => [`comparison|${y}`]).concat(YEARS.map((y) => `treated|${y}`)),
      );
    });

    it.each(['never_treated', 'not_yet_treated'])(
      'staggered adoption (Callaway & Sant’Anna, %s comparison): overall and event-time effects',
      async (comparison) => {
        const result = await run({
          population: { academicYears: YEARS },
          outcomes: ['attendance_rate'],
          analysis: { method: 'did_staggered', programme: 'prog-support-room', outcome: 'attendance_rate', comparison },
        });
        const overall = result.tables.effects.rows.find((r) => r.effect === 'overall')!;
        expect(overall.lower as number).toBeLessThanOrEqual(PLANTED_EFFECT);
        expect(overall.upper as number).toBeGreaterThanOrEqual(PLANTED_EFFECT);
        expect(overall.lower as number).toBeGreaterThan(0);
        const eventTimes = result.tables.effects.rows.filter((r) => r.effect === 'event_time').map((r) => r.event_time);
        expect(eventTimes).toEqual(expect.arrayContaining([0, 1]));
        // Before adoption there is no effect: the placebo's interval covers zero.
        for (const pre of result.tables.effects.rows.filter(
          (r) => r.effect === 'event_time' && (r.event_time as number) < 0,
        )) {
          if (pre.lower === null) continue;
          expect(pre.lower as number).toBeLessThanOrEqual(0);
          expect(pre.upper as number).toBeGreaterThanOrEqual(0);
        }
        expect(result.tables.group_time.rows.map((r) => r.group)).toEqual(expect.arrayContaining([2024, 2025]));
      },
    );
  });

  it('value-added flags the planted high-growth schools (precision and recall ≥ 0.8) and shows what they do', async () => {
    const result = await run({
      population: { academicYears: [2024, 2025] },
      outcomes: ['assessment_score'],
      analysis: { method: 'value_added', academicYear: 2025 },
    });
    const flagged = result.tables.schools.rows.filter((r) => r.flagged === true).map((r) => r.school as string);
    const planted = new Set(truth.highGrowth.schoolCodes);
    expect(planted.size).toBeGreaterThanOrEqual(2);
    const hits = flagged.filter((s) => planted.has(s)).length;
    expect(hits / flagged.length).toBeGreaterThanOrEqual(0.8);
    expect(hits / planted.size).toBeGreaterThanOrEqual(0.8);
    for (const row of result.tables.schools.rows.filter((r) => r.flagged === true))
      expect(row.lower as number).toBeGreaterThan(0);
    expect(result.tables.good_practice.rows.map((r) => r.school).sort()).toEqual([...flagged].sort());
    expect(result.tables.good_practice.columns).toEqual(
      expect.arrayContaining([
        'programmes',
        'app_minutes_per_student_week',
        'all_schools_app_minutes_per_student_week',
      ]),
    );
  });

  it('gives funnel-plot data with 95% and 99.8% limits and flags, without ranking', async () => {
    const result = await run({
      population: { academicYears: [2025] },
      outcomes: ['attendance_rate'],
      analysis: { method: 'funnel', outcome: 'attendance_rate', academicYear: 2025 },
    });
    const rows = result.tables.schools.rows;
    expect(rows).toHaveLength(truth.schools.length);
    for (const row of rows.filter((r) => r.rate !== null)) {
      expect(row.lower998 as number).toBeLessThanOrEqual(row.lower95 as number);
      expect(row.upper95 as number).toBeLessThanOrEqual(row.upper998 as number);
      expect(['high_998', 'high_95', 'within', 'low_95', 'low_998']).toContain(row.flag);
    }
    expect(result.summary.target as number).toBeGreaterThan(0.9);
    expect(result.tables.limits.rows.length).toBeGreaterThan(2);
    const lta = await run({
      population: { academicYears: [2025] },
      outcomes: ['long_term_absence'],
      analysis: { method: 'funnel', outcome: 'long_term_absence', academicYear: 2025 },
    });
    const model = lta.summary as { target: number; overdispersion: 'additive'; phi: number; tau2: number };
    for (const row of lta.tables.schools.rows) {
      // A school's long-term absentees are a count of students: redacted (and its rate with it) when 1–7.
      if (row.long_term_absent === null) expect(row.rate).toBeNull();
      // Its limits are drawn at the published (rounded) number of students, so they do not give the exact one back.
      if (typeof row.students === 'number')
        expect(row.upper95 as number).toBeCloseTo(funnelLimits(model, row.students).upper95, 4);
    }
  });

  it('describes groups over time by year and by month, with attrition after each inclusion rule', async () => {
    const result = await run({
      population: { academicYears: YEARS, grades: ['P4', 'P5', 'P6'], students: { longTermAbsentPriorYear: false } },
      groups: { by: 'programme', programme: 'prog-support-room' },
      outcomes: ['attendance_rate', 'absence_days', 'long_term_absence', 'assessment_score', 'app_minutes'],
      breakdowns: ['grade', 'sex'],
    });
    expect(result.attrition.map((s) => s.step)).toEqual([
      'enrolled',
      'grade',
      'prior',
      'with_attendance',
      'with_score',
    ]);
    const counts = result.attrition.map((s) => s.students as number);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    const rows = result.tables.descriptive.rows;
    expect(new Set(rows.map((r) => r.group))).toEqual(new Set(['programme', 'comparison']));
    expect(new Set(rows.map((r) => r.grade))).toEqual(new Set(['P4', 'P5', 'P6', 'all']));
    // FY2023 has no prior year in the data: "not long-term absent the year before" cannot be known, so it drops out.
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set([2024, 2025]));

    const monthly = await run({
      population: { academicYears: [2025] },
      outcomes: ['attendance_rate', 'app_minutes'],
      timeGrain: 'month',
    });
    const periods = monthly.tables.descriptive.rows.map((r) => r.period as string);
    expect(periods).toContain('2025-04');
    expect(periods).toContain('2026-03');
    expect(periods.every((p) => /^\d{4}-\d{2}$/.test(p))).toBe(true);
  });

  describe('disclosure control', () => {
    beforeAll(async () => {
      // Outputs built to have small cells: per school, grade and sex; a small grade of special-needs classes; by month.
      await run({
        population: { academicYears: [2025] },
        outcomes: ['long_term_absence', 'assessment_score'],
        breakdowns: ['school', 'grade'],
      });
      await run({
        population: { academicYears: [2025], students: { specialNeeds: true } },
        outcomes: ['long_term_absence'],
        breakdowns: ['grade', 'sex'],
      });
      await run({
        population: { academicYears: [2025], schools: { types: ['junior_high'] } },
        outcomes: ['attendance_rate'],
        timeGrain: 'month',
        breakdowns: ['school'],
      });
    });

    it('never publishes a count of 1–7 students, and rounds every count to 5, in any output so far', () => {
      let checked = 0;
      for (const result of results) {
        for (const table of Object.values(result.tables)) {
          for (const row of table.rows) {
            for (const column of COUNT_COLUMNS) {
              const value = row[column];
              if (value === undefined || value === null) continue;
              checked++;
              expect({
                column,
                value,
                ok: value === 0 || ((value as number) > 7 && (value as number) % 5 === 0),
              }).toEqual({ column, value, ok: true });
            }
          }
        }
        for (const step of result.attrition) if (step.students !== null) expect(step.students % 5).toBe(0);
      }
      expect(checked).toBeGreaterThan(200);
      expect(results.some((r) => r.disclosure.cellsRedacted > 0)).toBe(true);
    });

    it('says what it applied, in Japanese and English', () => {
      const result = results[results.length - 1];
      expect(result.disclosure.settings.maxRedactedCount).toBe(7);
      expect(result.disclosure.rulesJa.join('')).toMatch(/秘匿/);
      expect(result.disclosure.rules.join(' ')).toMatch(/rounded to the nearest multiple of 5/);
    });

    it('redacts an area aggregate of fewer than 3 schools', async () => {
      const two = truth.schools.slice(0, 2).map((s) => s.code);
      const result = await run({
        population: { academicYears: [2025], schools: { codes: two } },
        outcomes: ['attendance_rate'],
      });
      for (const row of result.tables.descriptive.rows) {
        expect(row.students).toBeNull();
        expect(row.attendance_rate).toBeNull();
      }
    });

    it('defeats a differencing attack: two cohorts that differ by one school do not give back its redacted count', async () => {
      const year = 2025;
      const exact = await t.app.get(MetricsService).values('attendance.long_term_absence', { academicYear: year });
      const perSchool = new Map<string, number>();
      for (const v of exact) perSchool.set(v.schoolCode, (perSchool.get(v.schoolCode) ?? 0) + v.value);
      const target = [...perSchool].find(([, n]) => n >= 1 && n <= 7);
      expect(target).toBeDefined();
      const [school, secret] = target!;
      const all = truth.schools.map((s) => s.code);
      const published = async (codes: string[]) => {
        const r = await run({
          population: { academicYears: [year], schools: { codes } },
          outcomes: ['long_term_absence'],
        });
        return r.tables.descriptive.rows[0].long_term_absent as number;
      };
      const withIt = await published(all);
      const without = await published(all.filter((c) => c !== school));
      // Each published count is the exact count rounded to the nearest 5: exact ∈ [p − 2, p + 2].
      const consistent = new Set<number>();
      for (let a = withIt - 2; a <= withIt + 2; a++)
        for (let b = without - 2; b <= without + 2; b++) if (a - b >= 0) consistent.add(a - b);
      expect(consistent.has(secret)).toBe(true);
      expect([...consistent].filter((d) => d >= 1 && d <= 7).length).toBeGreaterThan(1);
      // The per-school view does not show it either.
      const bySchool = await run({
        population: { academicYears: [year] },
        outcomes: ['long_term_absence'],
        breakdowns: ['school'],
      });
      expect(bySchool.tables.descriptive.rows.find((r) => r.school === school)!.long_term_absent).toBeNull();
    });
  });

  describe('definitions, formats and audit', () => {
    it('rejects an unknown field or a wrong type with a 400 naming it', async () => {
      const unknown = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ population: { academicYears: [2025], grade: ['P1'] }, outcomes: ['absence_days'] })
        .expect(400);
      expect(unknown.body.error.code).toBe('COHORT_DEFINITION_INVALID');
      expect(unknown.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['population.grade']);
      const wrongType = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ population: { academicYears: ['2025'] }, outcomes: ['absence_days'] })
        .expect(400);
      expect(wrongType.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
        'population.academicYears[0]',
      ]);
      const badMethod = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ population: { academicYears: [2025] }, outcomes: ['absence_days'], analysis: { method: 'regression' } })
        .expect(400);
      expect(badMethod.body.error.fields[0].field).toBe('analysis.method');
      const monthly = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({ population: { academicYears: [2025] }, outcomes: ['long_term_absence'], timeGrain: 'month' })
        .expect(400);
      expect(monthly.body.error.fields[0].field).toBe('outcomes[0]');
      const ignored = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .send({
          population: { academicYears: [2024, 2025] },
          outcomes: ['assessment_score'],
          breakdowns: ['sex'],
          analysis: { method: 'value_added', academicYear: 2025 },
        })
        .expect(400);
      expect(ignored.body.error.fields[0].field).toBe('breakdowns');
    });

    it('binds every value: a programme id made of SQL is just a programme nobody takes part in', async () => {
      const result = await run({
        population: {
          academicYears: [2025],
          schools: { programme: { id: "x' OR 1=1; DROP TABLE students; --", participating: false } },
        },
        outcomes: ['absence_days'],
      });
      expect(result.attrition.find((s) => s.step === 'school')!.schools).toBe(truth.schools.length);
      const again = await run({ population: { academicYears: [2025] }, outcomes: ['absence_days'] });
      expect(again.attrition[0].students).toBeGreaterThan(0);
    });

    it('answers CSV (UTF-8 with BOM) and Arrow IPC by the Accept header, with the same disclosure-controlled rows', async () => {
      const definition = {
        population: { academicYears: [2025] },
        outcomes: ['long_term_absence'],
        breakdowns: ['grade'],
      };
      const json = await run(definition);
      const csv = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .set('Accept', 'text/csv')
        .send(definition)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      const lines = csv.text.slice(1).trim().split('\r\n');
      expect(lines[0]).toBe(json.tables.descriptive.columns.join(','));
      expect(lines).toHaveLength(json.tables.descriptive.rows.length + 1);
      const arrow = await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.analyst}`)
        .set('Accept', 'application/vnd.apache.arrow.stream')
        .send(definition)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const table = tableFromIPC(arrow.body as Buffer);
      expect(table.numRows).toBe(json.tables.descriptive.rows.length);
      const published = json.tables.descriptive.rows.map((r) => r.long_term_absent);
      expect(table.getChild('long_term_absent')!.toArray().length).toBe(published.length);
      expect(Array.from({ length: table.numRows }, (_, i) => table.getChild('long_term_absent')!.get(i))).toEqual(
        published,
      );
    });

    it('saves definitions with versions, runs a saved one citing it, and audits every run', async () => {
      const definition = {
        population: { academicYears: YEARS },
        outcomes: ['attendance_rate'],
        analysis: { method: 'did_staggered', programme: 'prog-support-room', outcome: 'attendance_rate' },
      };
      const auth = { Authorization: `Bearer ${t.tokens.analyst}` };
      const v1 = await t
        .http()
        .post('/api/cohorts/definitions')
        .set(auth)
        .send({ name: 'support-room', description: '校内教育支援センターの効果', definition })
        .expect(201);
      const same = await t
        .http()
        .post('/api/cohorts/definitions')
        .set(auth)
        .send({ name: 'support-room', description: '校内教育支援センターの効果', definition })
        .expect(201);
      expect([v1.body.version, same.body.version]).toEqual([1, 1]);
      const v2 = await t
        .http()
        .post('/api/cohorts/definitions')
        .set(auth)
        .send({
          name: 'support-room',
          description: '校内教育支援センターの効果',
          definition: { ...definition, analysis: { ...definition.analysis, comparison: 'not_yet_treated' } },
        })
        .expect(201);
      expect(v2.body.version).toBe(2);
      const list = await t.http().get('/api/cohorts/definitions').set(auth).expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items.map((d: { name: string; version: number }) => `${d.name}@${d.version}`)).toEqual([
        'support-room@2',
      ]);
      const ran = await t.http().post('/api/cohorts/definitions/support-room/run?version=1').set(auth).expect(200);
      expect(ran.body.savedAs).toEqual({ name: 'support-room', version: 1 });
      expect(ran.body.definitionHash).toBe(v1.body.definitionHash);
      await t.http().post('/api/cohorts/definitions/nothing-here/run').set(auth).expect(404);
      await t.http().post('/api/cohorts/definitions').set(auth).send({ name: 'Bad Name', definition }).expect(400);

      const audit = await t.app.get(AuditService).recent(200, 'cohort_definition');
      const runs = audit.filter((a) => a.action === 'cohort.run');
      expect(runs.length).toBeGreaterThanOrEqual(results.length);
      const last = runs.find((a) => a.targetId === 'support-room@1')!;
      expect(last.actorRole).toBe('analyst');
      expect(last.after).toMatchObject({
        definitionHash: v1.body.definitionHash,
        method: 'did_staggered',
        savedAs: { name: 'support-room', version: 1 },
      });
      expect(typeof (last.after as { rowsIn: number }).rowsIn).toBe('number');
      expect(typeof (last.after as { cellsRedacted: number }).cellsRedacted).toBe('number');
    });

    it('is for analysts and the board: a school gets 403', async () => {
      await t
        .http()
        .post('/api/cohorts/query')
        .set('Authorization', `Bearer ${t.tokens.schoolA}`)
        .send({ population: { academicYears: [2025] }, outcomes: ['absence_days'] })
        .expect(403);
    });
  });
});
