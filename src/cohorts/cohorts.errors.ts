import { DomainError, type ErrorDeclaration, type FieldProblem } from '../common/domain-error.js';

export const COHORT_ERRORS = [
  {
    code: 'COHORT_DEFINITION_INVALID',
    status: 400,
    meaning:
      'The cohort definition breaks its schema or a rule (a derived expression not allowed); `fields` names each',
  },
  {
    code: 'COHORT_ANALYSIS_NOT_POSSIBLE',
    status: 422,
    meaning: 'The analysis cannot run on this cohort (too few schools, an empty cell); `fields` names the analysis',
  },
  {
    code: 'COHORT_VERSION_CONFLICT',
    status: 409,
    meaning: 'Someone else saved the same definition name at the same time: try again',
  },
] as const satisfies readonly ErrorDeclaration[];

export const cohortDefinitionInvalid = (message: string, fields: FieldProblem[]) =>
  new DomainError('COHORT_DEFINITION_INVALID', message, { fields });
export const cohortAnalysisNotPossible = (message: string) =>
  new DomainError('COHORT_ANALYSIS_NOT_POSSIBLE', `the analysis cannot run on this cohort: ${message}`, {
    fields: [{ field: 'analysis', messages: [message] }],
  });
export const cohortVersionConflict = (name: string) =>
  new DomainError(
    'COHORT_VERSION_CONFLICT',
    `cohort definition ${name} was saved by someone else at the same time; try again`,
  );
