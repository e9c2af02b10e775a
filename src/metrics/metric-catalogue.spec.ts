import { loadMetricCatalogue, parseMetricFile } from './metric-catalogue.js';

const header = (overrides: Record<string, string | null> = {}) => {
  const keys: Record<string, string | null> = {
    id: 'attendance.example',
    'title.ja': '例',
    'title.en': 'Example',
    'description.ja': '説明',
    'description.en': 'Description',
    unit: 'students',
    dimensions: 'grade, sex',
    parameters: 'academic_year',
    answers: '調査項目',
    ...overrides,
  };
  return Object.entries(keys)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `-- ${k}: ${v}`)
    .join('\n');
};
const query = 'SELECT school_code, grade, sex, count(*) AS value FROM enrolments WHERE $schools IS NULL GROUP BY ALL';

describe('metric files', () => {
  it('reads the contract from the header and the query after it', () => {
    const metric = parseMetricFile('attendance.example.sql', `${header()}\n${query}\n`);
    expect(metric).toMatchObject({
      id: 'attendance.example',
      title: { ja: '例', en: 'Example' },
      dimensions: ['grade', 'sex'],
      parameters: ['academic_year'],
      sql: query,
    });
  });

  it.each([
    [{ unit: null }, /header lacks "-- unit: ..."/],
    [{ id: 'attendance.other' }, /does not match the file name/],
    [{ parameters: 'academic_year, colour' }, /unknown parameter "colour"/],
    [{ answers: '' }, /"answers" is empty/],
  ])('names the file and the problem: %o', (overrides, message) => {
    expect(() => parseMetricFile('attendance.example.sql', `${header(overrides)}\n${query}`)).toThrow(
      /queries\/metrics\/attendance\.example\.sql/,
    );
    expect(() => parseMetricFile('attendance.example.sql', `${header(overrides)}\n${query}`)).toThrow(message);
  });

  it('refuses a query that ignores the school filter', () => {
    expect(() => parseMetricFile('attendance.example.sql', `${header()}\nSELECT 1`)).toThrow(
      /must filter by \$schools/,
    );
  });

  it('loads the project catalogue', () => {
    const ids = loadMetricCatalogue().map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'enrolment.students',
        'enrolment.classes',
        'attendance.long_term_absence',
        'attendance.futoko_severity',
        'attendance.rate',
      ]),
    );
  });
});
