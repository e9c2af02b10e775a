/**
 * The cohort definition: what an analyst asks, as data (OpenSAFELY's "cohort definitions as code",
 * OHDSI ATLAS's JSON cohorts). Declared once as a JSON Schema (published in OpenAPI, checked on every
 * request) with the TypeScript type beside it. A definition names a population, how to split it into
 * groups, the outcomes, the time grain and breakdowns, and the analysis to run.
 */
import { createHash } from 'node:crypto';
import type { DomainError } from '../common/domain-error.js';
import { cohortDefinitionInvalid } from './cohorts.errors.js';
import { type JsonSchema, validateJson } from '../common/json-schema.js';
import { compileExpression } from './derived-expression-sql.js';
import { EXPRESSION_COLUMNS, EXPRESSION_FUNCTIONS, ExpressionError } from './derived-expression.js';
import { CASE_BEFORE_AFTER_SCHEMA, type CaseBeforeAfterAnalysis } from './case-analysis.js';

export const GRADES = [
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  'J1',
  'J2',
  'J3',
  'H1',
  'H2',
  'H3',
  'E1',
  'E2',
  'E3',
] as const;
export const SCHOOL_TYPES = [
  'kindergarten',
  'elementary',
  'junior_high',
  'compulsory',
  'high',
  'secondary',
  'special_needs',
  'other',
] as const;
export const SEXES = ['male', 'female', 'other', 'unspecified'] as const;
export const SUBJECTS_PATTERN = '^[a-z_]{1,40}$';
/** Outcomes per student and period (DOMAIN.md definitions; attendance rate = attended / required days). */
export const OUTCOMES = [
  'attendance_rate',
  'absence_days',
  'long_term_absence',
  'assessment_score',
  'app_minutes',
] as const;
/** Outcomes that exist per month; long-term absence (≥ 30 days in a school year) and the yearly test do not. */
export const MONTHLY_OUTCOMES = ['attendance_rate', 'absence_days', 'app_minutes'] as const;
export const BREAKDOWNS = ['grade', 'sex', 'school_type', 'special_needs', 'school'] as const;
export const GROUPINGS = ['none', 'programme', 'sex', 'special_needs', 'school_type'] as const;

export type Outcome = (typeof OUTCOMES)[number];
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface CohortDefinition {
  population: {
    academicYears: number[];
    grades?: string[];
    schools?: { types?: string[]; codes?: string[]; programme?: { id: string; participating: boolean } };
    students?: { sex?: string[]; specialNeeds?: boolean; longTermAbsentPriorYear?: boolean };
  };
  groups?: { by: (typeof GROUPINGS)[number]; programme?: string };
  outcomes: Outcome[];
  subjects?: string[];
  timeGrain?: 'year' | 'month';
  breakdowns?: Breakdown[];
  analysis?: Analysis;
  derivedOutcomes?: DerivedOutcome[];
}

/** An analyst's expression per student, clipped into `range` and averaged per group. */
export interface DerivedOutcome {
  name: string;
  expression: string;
  range: { min: number; max: number };
}

/** Columns of the descriptive table other than derived outcomes (a derived outcome cannot take one of these names). */
const DESCRIPTIVE_COLUMNS: readonly string[] = [
  'group',
  'period',
  ...BREAKDOWNS,
  'students',
  'schools',
  'attendance_students',
  'attendance_rate',
  'absence_days',
  'long_term_absent',
  'long_term_absence_rate',
  'assessed',
  'assessment_score',
  'app_minutes',
];

/** The count column beside a derived outcome: how many students its mean is about (those with a value). */
export const derivedStudentsColumn = (name: string) => `${name}_students`;

/** Bounds of a declared range: wide enough for days, minutes, scores and rates, small enough to stay exact in a double. */
const RANGE_LIMIT = 1_000_000_000;

export type Analysis =
  | { method: 'descriptive' }
  | { method: 'did_2x2'; programme: string; outcome: DidOutcome; preYears: number[]; postYears: number[] }
  | {
      method: 'did_staggered';
      programme: string;
      outcome: DidOutcome;
      comparison?: 'never_treated' | 'not_yet_treated';
    }
  | { method: 'funnel'; outcome: 'long_term_absence' | 'attendance_rate'; academicYear: number }
  | { method: 'value_added'; academicYear: number }
  | CaseBeforeAfterAnalysis;
export type DidOutcome = 'attendance_rate' | 'absence_days' | 'long_term_absence' | 'assessment_score' | 'app_minutes';

const year: JsonSchema = { type: 'integer', minimum: 2000, maximum: 2100 };
const years: JsonSchema = { type: 'array', items: year, minItems: 1, maxItems: 12, uniqueItems: true };
const programmeId: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'programme_id as loaded from programmes.csv',
};
const outcome: JsonSchema = { type: 'string', enum: OUTCOMES };

export const COHORT_DEFINITION_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    'A cohort definition: population, groups, outcomes, time grain, breakdowns and the analysis to run. Every value is bound, never interpolated.',
  additionalProperties: false,
  required: ['population', 'outcomes'],
  properties: {
    population: {
      type: 'object',
      additionalProperties: false,
      required: ['academicYears'],
      description: 'Inclusion rules, applied in this order (the attrition table counts the students left after each).',
      properties: {
        academicYears: { ...years, description: 'School years (年度, 2025 = April 2025 to March 2026) of enrolment' },
        grades: { type: 'array', items: { type: 'string', enum: GRADES }, minItems: 1, uniqueItems: true },
        schools: {
          type: 'object',
          additionalProperties: false,
          properties: {
            types: { type: 'array', items: { type: 'string', enum: SCHOOL_TYPES }, minItems: 1, uniqueItems: true },
            codes: {
              type: 'array',
              items: { type: 'string', pattern: '^[A-Z0-9-]{1,80}$' },
              minItems: 1,
              maxItems: 5000,
              uniqueItems: true,
            },
            programme: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'participating'],
              description: 'Schools that take part (or not) in a programme in the year of enrolment',
              properties: { id: programmeId, participating: { type: 'boolean' } },
            },
          },
        },
        students: {
          type: 'object',
          additionalProperties: false,
          properties: {
            sex: { type: 'array', items: { type: 'string', enum: SEXES }, minItems: 1, uniqueItems: true },
            specialNeeds: { type: 'boolean', description: 'enrolled in a special-needs class (特別支援学級)' },
            longTermAbsentPriorYear: {
              type: 'boolean',
              description: 'absent 30 days or more (長期欠席) in the previous school year',
            },
          },
        },
      },
    },
    groups: {
      type: 'object',
      additionalProperties: false,
      required: ['by'],
      description:
        'How to split the population: programme = schools that take part in the programme in any year of the population vs the others',
      properties: { by: { type: 'string', enum: GROUPINGS }, programme: programmeId },
    },
    outcomes: { type: 'array', items: outcome, minItems: 1, uniqueItems: true },
    subjects: {
      type: 'array',
      items: { type: 'string', pattern: SUBJECTS_PATTERN },
      minItems: 1,
      uniqueItems: true,
      description: 'Assessment subjects (default all)',
    },
    timeGrain: { type: 'string', enum: ['year', 'month'], default: 'year' },
    breakdowns: { type: 'array', items: { type: 'string', enum: BREAKDOWNS }, maxItems: 2, uniqueItems: true },
    analysis: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['method'],
          properties: { method: { type: 'string', enum: ['descriptive'] } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'programme', 'outcome', 'preYears', 'postYears'],
          description:
            '2×2 difference-in-differences: schools in the programme in every post year and in no pre year vs schools in it in none',
          properties: {
            method: { type: 'string', enum: ['did_2x2'] },
            programme: programmeId,
            outcome,
            preYears: years,
            postYears: years,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'programme', 'outcome'],
          description:
            'Staggered adoption: Callaway & Sant’Anna group-time effects, aggregated overall and by years since adoption',
          properties: {
            method: { type: 'string', enum: ['did_staggered'] },
            programme: programmeId,
            outcome,
            comparison: { type: 'string', enum: ['never_treated', 'not_yet_treated'], default: 'never_treated' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'outcome', 'academicYear'],
          description: 'Funnel plot data (Spiegelhalter 2005) of a school-level rate',
          properties: {
            method: { type: 'string', enum: ['funnel'] },
            outcome: { type: 'string', enum: ['long_term_absence', 'attendance_rate'] },
            academicYear: year,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'academicYear'],
          description: 'Value-added: current score against prior score, school effects shrunk by empirical Bayes',
          properties: { method: { type: 'string', enum: ['value_added'] }, academicYear: year },
        },
        CASE_BEFORE_AFTER_SCHEMA,
      ],
      discriminator: { propertyName: 'method' },
    },
    derivedOutcomes: {
      type: 'array',
      maxItems: 5,
      description: `Analyst expressions computed for each student from that student's own row (columns ${Object.keys(EXPRESSION_COLUMNS).join(', ')}), clipped into the declared range and averaged per group. An expression may use literals, + - * / %, comparisons, AND/OR/NOT, IS NULL, BETWEEN, IN over literals, CASE, CAST to a number or boolean type and the functions ${Object.keys(EXPRESSION_FUNCTIONS).join(', ')}; no subquery, table, aggregate or window function. The mean is about the students with a value (column <name>_students) and is published with its sum rounded like a count (see disclosure.rules).`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'expression', 'range'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' },
          expression: { type: 'string', minLength: 1, maxLength: 2000 },
          range: {
            type: 'object',
            additionalProperties: false,
            required: ['min', 'max'],
            description:
              "The values the outcome can take per student (e.g. 0 and 1 for a share): each student's value is clipped into it before the mean, so no one student can move a mean by more than (max − min) / students",
            properties: {
              min: { type: 'number', minimum: -RANGE_LIMIT, maximum: RANGE_LIMIT },
              max: { type: 'number', minimum: -RANGE_LIMIT, maximum: RANGE_LIMIT },
            },
          },
        },
      },
    },
  },
};

function invalid(field: string, message: string): DomainError {
  return cohortDefinitionInvalid(`invalid cohort definition: ${field} ${message}`, [{ field, messages: [message] }]);
}

/** Checks a definition (schema, then the rules a schema cannot say) and fills in defaults. A problem is a 400 naming the field. */
export function parseCohortDefinition(body: unknown): CohortDefinition {
  const problems = validateJson(COHORT_DEFINITION_SCHEMA, body);
  if (problems.length > 0) {
    throw cohortDefinitionInvalid(
      `invalid cohort definition: ${problems.map((p) => `${p.field} ${p.messages.join('; ')}`).join(', ')}`,
      problems,
    );
  }
  const definition = structuredClone(body) as CohortDefinition;
  definition.timeGrain ??= 'year';
  definition.breakdowns ??= [];
  definition.groups ??= { by: 'none' };
  definition.analysis ??= { method: 'descriptive' };
  definition.population.academicYears.sort((a, b) => a - b);
  if (definition.groups.by === 'programme' && !definition.groups.programme)
    throw invalid('groups.programme', 'is required when groups.by is programme');
  if (definition.groups.by !== 'programme' && definition.groups.programme)
    throw invalid('groups.programme', 'is only allowed when groups.by is programme');
  if (definition.timeGrain === 'month') {
    definition.outcomes.forEach((o, i) => {
      if (!(MONTHLY_OUTCOMES as readonly string[]).includes(o))
        throw invalid(`outcomes[${i}]`, `${o} is defined per school year; use timeGrain "year"`);
    });
    if (definition.analysis.method !== 'descriptive')
      throw invalid('analysis.method', `${definition.analysis.method} runs on school years; use timeGrain "year"`);
    if (definition.derivedOutcomes?.length)
      throw invalid('derivedOutcomes', 'are computed per school year; use timeGrain "year"');
  }
  const inYears = (y: number) => definition.population.academicYears.includes(y);
  const analysis = definition.analysis;
  if (analysis.method !== 'descriptive') {
    // The methods define their own groups (treated vs comparison, schools) and tables: say so rather than ignore.
    if (definition.groups.by !== 'none')
      throw invalid('groups', `apply to the descriptive analysis; ${analysis.method} sets its own groups`);
    if (definition.breakdowns.length > 0)
      throw invalid('breakdowns', `apply to the descriptive analysis, not ${analysis.method}`);
    if (definition.derivedOutcomes?.length)
      throw invalid('derivedOutcomes', `apply to the descriptive analysis, not ${analysis.method}`);
  }
  if (analysis.method === 'did_2x2') {
    for (const [key, list] of [
      ['preYears', analysis.preYears],
      ['postYears', analysis.postYears],
    ] as const) {
      list.forEach((y, i) => {
        if (!inYears(y)) throw invalid(`analysis.${key}[${i}]`, `${y} is not one of population.academicYears`);
      });
    }
    if (Math.max(...analysis.preYears) >= Math.min(...analysis.postYears))
      throw invalid('analysis.postYears', 'must all come after every pre year');
  }
  if (analysis.method === 'did_staggered' && definition.population.academicYears.length < 2) {
    throw invalid('population.academicYears', 'needs at least two years for a staggered design');
  }
  if ((analysis.method === 'funnel' || analysis.method === 'value_added') && !inYears(analysis.academicYear)) {
    throw invalid('analysis.academicYear', `${analysis.academicYear} is not one of population.academicYears`);
  }
  if (analysis.method === 'case_before_after') analysis.window ??= 6;
  checkDerivedOutcomes(definition.derivedOutcomes ?? []);
  return definition;
}

/** Names that do not clash with a column of the table, ranges that are ranges, expressions of the language. */
function checkDerivedOutcomes(derived: DerivedOutcome[]): void {
  const taken = new Set<string>([...DESCRIPTIVE_COLUMNS, ...OUTCOMES]);
  derived.forEach((d, i) => {
    for (const column of [d.name, derivedStudentsColumn(d.name)]) {
      if (taken.has(column))
        throw invalid(`derivedOutcomes[${i}].name`, `${d.name} would make a second column ${column}`);
      taken.add(column);
    }
    if (!(d.range.min < d.range.max)) throw invalid(`derivedOutcomes[${i}].range`, 'needs min below max');
    try {
      compileExpression(d.expression);
    } catch (error) {
      if (error instanceof ExpressionError) throw invalid(`derivedOutcomes[${i}].expression`, error.message);
      throw error;
    }
  });
}

/** Canonical JSON (keys sorted) and its SHA-256: what a report cites and the audit log records. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function definitionHash(definition: CohortDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}
