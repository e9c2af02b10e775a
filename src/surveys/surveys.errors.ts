import { DomainError, type ErrorDeclaration, type FieldProblem } from '../common/domain-error.js';

export const SURVEY_ERRORS = [
  {
    code: 'SURVEY_DEFINITION_INVALID',
    status: 400,
    meaning: 'The survey’s questions or targets break a rule; `fields` names each one',
  },
  { code: 'SURVEY_NOT_DRAFT', status: 409, meaning: 'The survey was issued already: it is not issued again' },
  {
    code: 'SURVEY_CHANGED_WHILE_ISSUING',
    status: 409,
    meaning: 'The draft was changed while its figures were computed: nothing was issued; issue it again',
  },
  { code: 'SURVEY_NO_TARGET_SCHOOL', status: 422, meaning: 'The survey’s targets match no school in the warehouse' },
  {
    code: 'SURVEY_RESPONSE_STALE',
    status: 409,
    meaning: 'The response or answer changed since the caller read it (someone else, or new data): reload',
  },
  {
    code: 'SURVEY_RESPONSE_SUBMITTED',
    status: 409,
    meaning: 'The response is submitted: it does not change until the board returns it',
  },
  {
    code: 'SURVEY_RESPONSE_NOT_SUBMITTED',
    status: 409,
    meaning: 'Only a submitted response can be returned for correction',
  },
  {
    code: 'SURVEY_SUBMISSION_BLOCKED',
    status: 422,
    meaning: 'An error stands or a query is unexplained; `fields` names each answer (answers.<code>)',
  },
] as const satisfies readonly ErrorDeclaration[];

export const surveyDefinitionInvalid = (fields: FieldProblem[], message?: string) =>
  new DomainError('SURVEY_DEFINITION_INVALID', message ?? `invalid survey: ${fields.map((f) => f.field).join(', ')}`, {
    fields,
  });
export const surveyNotDraft = (id: string, status: string) =>
  new DomainError('SURVEY_NOT_DRAFT', `survey ${id} is already ${status}`);
export const surveyChangedWhileIssuing = (id: string) =>
  new DomainError('SURVEY_CHANGED_WHILE_ISSUING', `survey ${id} was changed while it was being issued: issue it again`);
export const surveyNoTargetSchool = () =>
  new DomainError('SURVEY_NO_TARGET_SCHOOL', 'the survey targets no school in the warehouse', {
    fields: [{ field: 'targets', messages: ['no school matches'] }],
  });
export const staleResponse = (message = 'the response changed since you read it: reload and submit again') =>
  new DomainError('SURVEY_RESPONSE_STALE', message);
/** A stale write that knows which answers moved since the caller read them: `fields` names each (answers.<code>). */
export const staleAnswers = (codes: string[]) =>
  new DomainError(
    'SURVEY_RESPONSE_STALE',
    codes.length > 0
      ? `changed since you read them (someone else, or new data): ${codes.join(', ')}; reload`
      : 'the response changed since you read it: reload',
    { fields: codes.map((code) => ({ field: `answers.${code}`, messages: ['changed since you read it'] })) },
  );
export const responseSubmitted = (message = 'this response is already submitted') =>
  new DomainError('SURVEY_RESPONSE_SUBMITTED', message);
export const responseNotSubmitted = () =>
  new DomainError('SURVEY_RESPONSE_NOT_SUBMITTED', 'only a submitted response can be returned');
export const submissionBlocked = (blockers: FieldProblem[]) =>
  new DomainError('SURVEY_SUBMISSION_BLOCKED', `cannot submit: ${blockers.length} error(s) or unexplained query(ies)`, {
    fields: blockers,
  });
