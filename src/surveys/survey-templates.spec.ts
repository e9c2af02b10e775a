import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createValidationPipe } from '../common/validation.js';
import { dimensionValueLabel } from '../labels/labels.js';
import { loadMetricCatalogue } from '../metrics/metric-catalogue.js';
import { CreateSurveyDto } from './dto/create-survey.dto.js';
import {
  bindingProblems,
  cellCount,
  coverageText,
  loadTemplate,
  surveyFromTemplate,
  SurveyTemplateError,
  templateCoverage,
  templateNames,
  templatesDir,
} from './survey-templates.js';

const NATIONAL = [
  'mext-gakko-kihon-elementary',
  'mext-gakko-kihon-junior-high',
  'mext-seito-shido-elementary',
  'mext-seito-shido-junior-high',
];

describe('survey templates (survey-templates/)', () => {
  const catalogue = loadMetricCatalogue();

  it('ships the national forms, each loading, bound to real metric dimensions and with a label for every cell', () => {
    expect(templateNames()).toEqual(expect.arrayContaining(NATIONAL));
    for (const name of templateNames()) {
      const template = loadTemplate(name)!;
      expect(template.id).toBe(name);
      expect(bindingProblems(template, catalogue)).toEqual([]);
      for (const q of template.questions)
        for (const [dim, values] of Object.entries(q.cells ?? {}))
          for (const value of values) {
            // A cell a person reads is words, not a code.
            expect({ q: q.code, dim, value, label: dimensionValueLabel(dim, value) }).not.toEqual(
              expect.objectContaining({ label: value }),
            );
          }
    }
  });

  it('becomes a survey body the API accepts, the grids kept to the form’s cells', async () => {
    for (const name of NATIONAL) {
      const template = loadTemplate(name)!;
      const body = surveyFromTemplate(template, { academicYear: 2025 });
      const dto = (await createValidationPipe().transform(body, {
        type: 'body',
        metatype: CreateSurveyDto,
      })) as CreateSurveyDto;
      expect(dto.questions).toHaveLength(template.questions.length);
      expect(dto.asOfDate).toBe(name.includes('kihon') ? '2025-05-01' : '2026-03-31');
      expect(dto.deadline > dto.asOfDate).toBe(true);
      expect(dto.title.ja).toContain('令和7年度');
      // The school reads why each judgement question is left to it.
      for (const q of template.questions.filter((x) => x.judgement))
        expect(dto.description.ja).toContain(`${q.code} ${q.text.ja}: ${q.judgement!.ja}`);
      const futoko = body.questions.find((q) => q.code === 'futoko');
      if (futoko) {
        const grades = name.endsWith('elementary') ? ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] : ['J1', 'J2', 'J3'];
        expect(futoko.binding).toEqual({
          metric: 'attendance.long_term_absence',
          filter: { grade: grades, sex: ['male', 'female'], reason: 'non_attendance' },
        });
      }
    }
  });

  it('counts bound and total numeric cells per section and overall', () => {
    const seito = templateCoverage(loadTemplate('mext-seito-shido-elementary')!);
    expect(seito.sections.map((s) => [s.code, s.bound, s.total])).toEqual([
      ['long_term_absence', 60, 60],
      ['futoko', 29, 29],
      ['futoko_facts', 0, 13],
      ['bullying', 30, 33],
      ['violence', 20, 20],
    ]);
    expect(seito.overall).toEqual({ bound: 139, total: 155, ratio: 139 / 155 });
    const kihon = templateCoverage(loadTemplate('mext-gakko-kihon-junior-high')!);
    expect(kihon.sections.map((s) => [s.code, s.bound, s.total])).toEqual([
      ['classes', 12, 12],
      ['students', 26, 26],
      ['staff', 0, 36],
    ]);
    expect(kihon.judgement.map((j) => j.question)).toEqual(['teachers', 'teachers_concurrent', 'staff']);
    expect(coverageText(seito)).toMatch(/長期欠席\S*\s+60 \/ 60\s+100\.0%/);
    expect(coverageText(seito)).toMatch(/全体\S*\s+139 \/ 155\s+89\.7%/);
    expect(coverageText(kihon)).toMatch(/学級数\S*\s+12 \/ 12\s+100\.0%/);
    expect(coverageText(kihon)).toContain('teachers (22): 名簿(OneRoster)が持つ教職員の情報は');
  });

  describe('a broken template', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'templates-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, edit: (t: Record<string, unknown>) => void) => {
      const template = JSON.parse(
        readFileSync(join(templatesDir(), 'mext-seito-shido-elementary.json'), 'utf8'),
      ) as Record<string, unknown>;
      template.id = name;
      edit(template);
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(template));
    };

    it('is refused with every problem named', () => {
      write('broken', (t) => {
        const questions = t.questions as Record<string, unknown>[];
        questions[0].judgement = { ja: '理由', en: 'reason' };
        delete (questions[1] as { cells?: unknown }).cells;
        questions[2].section = 'nowhere';
      });
      expect(() => loadTemplate('broken', dir)).toThrow(SurveyTemplateError);
      try {
        loadTemplate('broken', dir);
      } catch (error) {
        expect((error as SurveyTemplateError).problems).toEqual([
          'question lta: needs exactly one of binding and judgement',
          'question futoko: cells must list the values of each of gridDims (grade, sex)',
          'question futoko_90: no section nowhere',
        ]);
      }
    });

    it('names a binding to a metric or dimension the catalogue does not have', () => {
      write('unbound', (t) => {
        const questions = t.questions as { binding?: { metric: string; filter?: object } }[];
        questions[0].binding = { metric: 'attendance.nothing' };
        questions[1].binding = { metric: 'attendance.long_term_absence', filter: { colour: 'red' } };
      });
      expect(bindingProblems(loadTemplate('unbound', dir)!, catalogue)).toEqual([
        'question lta: binding to unknown metric attendance.nothing',
        'question futoko: metric attendance.long_term_absence has no dimension colour',
      ]);
    });

    it('is not found by a name outside the folder', () => {
      expect(loadTemplate('../package', dir)).toBeNull();
      expect(loadTemplate('no-such-template', dir)).toBeNull();
    });
  });

  it('counts a grid’s cells as the product of its dimensions', () => {
    expect(
      cellCount({
        code: 'x',
        section: 's',
        text: { ja: 'x', en: 'x' },
        type: 'grid',
        gridDims: ['grade', 'sex'],
        cells: { grade: ['P1', 'P2', 'P3'], sex: ['male', 'female'] },
      }),
    ).toBe(6);
  });
});
