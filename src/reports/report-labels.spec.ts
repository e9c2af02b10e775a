import { labelDatasets, localizeSpec } from './report-labels.js';

describe('report labels', () => {
  it('puts the codes of a dataset into words and leaves the figures and other columns alone', () => {
    const rows = labelDatasets(
      {
        enrolment: [{ academic_year: 2025, school: 'B123', grade: 'P1', sex: 'female', value: 12 }],
        trends: [{ arm: 'adopted_2024', period: 2024, mean: 0.9 }],
        funnel: [{ flag: 'high_95', rate: 0.97 }],
        valueAdded: [{ flagged: true, estimate: 1.5 }],
      },
      'ja',
    );
    expect(rows.enrolment[0]).toEqual({ academic_year: 2025, school: 'B123', grade: '小1', sex: '女', value: 12 });
    expect(rows.trends[0].arm).toBe('2024年度導入');
    expect(rows.funnel[0].flag).toBe('95%限界より上');
    expect(rows.valueAdded[0].flagged).toBe('はい');
    expect(labelDatasets({ x: [{ sex: 'male' }] }, 'en').x[0].sex).toBe('Male');
  });

  it('keeps one side of a bilingual title, sorts labelled fields in reading order and says when an axis is not from zero', () => {
    const spec = localizeSpec(
      {
        encoding: {
          x: { field: 'grade', type: 'nominal', title: '学年 / grade', sort: ['P1', 'P2', 'J1'] },
          y: { field: 'value', type: 'quantitative', title: '出席率 / attendance rate', scale: { zero: false } },
          color: { field: 'sex', type: 'nominal', title: '性別 / sex' },
        },
      },
      'ja',
    ) as { encoding: Record<string, { title: string; sort?: string[] }> };
    expect(spec.encoding.x).toMatchObject({ title: '学年', sort: ['小1', '小2', '中1'] });
    expect(spec.encoding.y.title).toBe('出席率(縦軸は0から始まりません)');
    expect(spec.encoding.color.sort!.slice(0, 2)).toEqual(['男', '女']);
    const en = localizeSpec({ x: { field: 'grade', type: 'nominal', title: '学年 / grade' } }, 'en') as {
      x: { title: string; sort: string[] };
    };
    expect(en.x.title).toBe('grade');
    expect(en.x.sort.indexOf('Elementary 1')).toBeLessThan(en.x.sort.indexOf('Junior high 1'));
  });
});
