import type { CreateSurveyDto } from '../surveys/dto/create-survey.dto.js';

/**
 * The survey `npm run demo` issues: the MEXT long-term-absence items (問題行動・不登校等調査) and the
 * School Basic Survey enrolment items (学校基本調査) answered from data, one item typed by hand.
 */
export function demoSurvey(academicYear: number, today: Date): CreateSurveyDto {
  const deadline = new Date(today.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  return {
    title: {
      ja: `${academicYear}年度 長期欠席・学校基本調査(試行)`,
      en: `FY${academicYear} long-term absence and School Basic Survey (pilot)`,
    },
    description: {
      ja: '数値は校務支援システム等のデータから求めてあります。確認し、違う場合は理由を添えて修正してください。',
      en: 'The figures were computed from your school systems’ data. Check them, and correct any that are wrong, with a reason.',
    },
    academicYear,
    asOfDate: `${academicYear + 1}-03-31`,
    deadline,
    targets: { kind: 'all' },
    questions: [
      {
        code: 'students',
        text: { ja: '学年別・男女別児童生徒数', en: 'Students by grade and sex' },
        type: 'grid',
        gridDims: ['grade', 'sex'],
        binding: { metric: 'enrolment.students' },
      },
      {
        code: 'classes',
        text: { ja: '学級数(通常の学級・特別支援学級)', en: 'Classes (ordinary, special-needs)' },
        type: 'grid',
        gridDims: ['grade', 'kind'],
        binding: { metric: 'enrolment.classes' },
      },
      {
        code: 'lta_total',
        text: { ja: '長期欠席者数(合計)', en: 'Long-term absentees (total)' },
        type: 'integer',
        binding: { metric: 'attendance.long_term_absence' },
        rules: [
          { severity: 'error', check: 'not_more_than', question: 'students' },
          { severity: 'query', check: 'change_from_prefill', threshold: 0.2 },
          { severity: 'query', check: 'change_from_last_year', threshold: 0.5 },
        ],
      },
      {
        code: 'lta',
        text: { ja: '長期欠席者数(学年別・男女別・理由別)', en: 'Long-term absentees by grade, sex and reason' },
        type: 'grid',
        gridDims: ['grade', 'sex', 'reason'],
        binding: { metric: 'attendance.long_term_absence' },
      },
      {
        code: 'futoko',
        text: { ja: '不登校児童生徒数', en: 'Non-attendance (futoko) students' },
        type: 'integer',
        binding: { metric: 'attendance.long_term_absence', filter: { reason: 'non_attendance' } },
      },
      {
        code: 'futoko_90',
        text: { ja: 'うち欠席日数90日以上', en: 'of whom absent 90 days or more' },
        type: 'integer',
        binding: { metric: 'attendance.futoko_severity', filter: { band: 'absent_90_plus' } },
        rules: [{ severity: 'error', check: 'not_more_than', question: 'futoko' }],
      },
      {
        code: 'bullying',
        text: { ja: 'いじめの認知件数(学年別・態様別)', en: 'Bullying cases by grade and type' },
        type: 'grid',
        gridDims: ['grade', 'type'],
        binding: { metric: 'guidance.bullying_cases' },
      },
      {
        code: 'counsellor_days',
        text: { ja: 'スクールカウンセラーの勤務日数(年間)', en: 'School counsellor days in the year' },
        type: 'integer',
        rules: [{ severity: 'error', check: 'range', min: 0, max: 366 }],
      },
    ],
  };
}
