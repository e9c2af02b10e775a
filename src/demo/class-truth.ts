/**
 * truth.json's answers about a school's classes in a year (see truth-builder.ts for the definitions):
 * enrolment.classes {grade, kind}, enrolment.special_needs_classes {disability} and
 * enrolment.class_forms {class_form, grade, span}.
 */
import { GRADES, ROSTER } from './demo-parameters.js';
import { gradeCode, type YearRoster } from './year-roster.js';

/** 特別支援学級の障害種別 the demo gives, and 'unspecified' for a special-needs class without one. */
export const DISABILITIES = [
  ...ROSTER.specialNeedsDisabilities.filter((d, k, all) => all.indexOf(d) === k),
  'unspecified',
];

type Push = (
  id: 'enrolment.classes' | 'enrolment.special_needs_classes' | 'enrolment.class_forms',
  dims: Record<string, string>,
  value: number,
) => void;

export function pushClassAnswers(roster: YearRoster, schoolIndex: number, push: Push): void {
  const classes = roster.schools[schoolIndex].classes.map((c) => roster.classes[c]);
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const klass of classes) {
    add(`${gradeCode(klass.grades[0])}|${klass.specialNeeds ? 'special_needs' : 'ordinary'}`);
    if (klass.specialNeeds) add(klass.disabilityType ?? 'unspecified');
  }
  for (const grade of GRADES)
    for (const kind of ['ordinary', 'special_needs'])
      push('enrolment.classes', { grade, kind }, counts.get(`${grade}|${kind}`) ?? 0);
  for (const disability of DISABILITIES)
    push('enrolment.special_needs_classes', { disability }, counts.get(disability) ?? 0);

  const forms = new Map<string, { dims: Record<string, string>; value: number }>();
  for (const klass of classes) {
    const dims = {
      class_form: klass.specialNeeds ? 'special_needs' : klass.grades.length >= 2 ? 'multi_grade' : 'single_grade',
      grade: gradeCode(Math.min(...klass.grades)),
      span: String(klass.grades.length),
    };
    const key = JSON.stringify(dims);
    forms.set(key, { dims, value: (forms.get(key)?.value ?? 0) + 1 });
  }
  for (const { dims, value } of [...forms.values()].sort((a, b) =>
    JSON.stringify(a.dims) < JSON.stringify(b.dims) ? -1 : 1,
  ))
    push('enrolment.class_forms', dims, value);
}
