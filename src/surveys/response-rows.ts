import type { Survey, SurveyAnswer, SurveyResponse } from './entities/survey.entity.js';
import type { Provenance } from './survey.types.js';

/**
 * The statements of a school's reads and writes of its response, the busiest calls of a deadline's last hour,
 * and the mapping of their rows: one statement for a read, two for a write (rather than the ORM's four), each
 * a fixed text with bound parameters.
 */

/** What a response's page shows of its survey (not its targets or warnings, which can be long). */
export type SurveyHead = Pick<Survey, 'id' | 'title' | 'academicYear' | 'asOfDate' | 'deadline' | 'issuedAt'>;

/** An answer as a person reads it: its provenance with the batches behind the figure (stored once, batch-sets.ts). */
export type ReadAnswer = Omit<SurveyAnswer, 'provenance'> & { provenance: Provenance | null };

/** A response, the head of its survey and its answers: what the school's every read and write decides on. */
export interface ResponseState {
  response: SurveyResponse;
  survey: SurveyHead;
  answers: ReadAnswer[];
}

/** A response's answers, each provenance with its batch set's batches put back (the answers stored before have none). */
const ANSWERS_READ = `
  SELECT a.id, a.response_id, a.question_id, a.value, a.source, a.prefilled_value, a.last_year_value,
         CASE WHEN bs.id IS NULL THEN a.provenance
              ELSE (a.provenance - 'batchSet') || jsonb_build_object('batches', bs.batches) END AS provenance,
         a.confirmed_at, a.confirmed_prefill, a.change_reason, a.explanations, a.updated_by, a.updated_at, a.version
  FROM survey_answers a LEFT JOIN provenance_batch_sets bs ON bs.id = a.provenance->>'batchSet'`;

/** A read: the response, its survey's head and its answers, as of one moment. */
export const RESPONSE_FOR_READ = `
  SELECT r.id, r.survey_id, r.school_code, r.school_name, r.status, r.opened_at, r.submitted_at, r.submitted_by,
         r.return_reason, r.version, s.title AS survey_title, s.academic_year, s.as_of_date::text AS as_of_date,
         s.deadline::text AS deadline, s.issued_at,
         (SELECT coalesce(json_agg(a.* ORDER BY a.id), '[]'::json) FROM (${ANSWERS_READ} WHERE a.response_id = r.id) a) AS answers
  FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
  WHERE r.id = $1`;

/**
 * The same, locked until the transaction ends (FOR UPDATE of the response only). The answers are read by a
 * second statement: a statement that waited for the lock still reads as of its start, the answers included.
 */
export const RESPONSE_FOR_WRITE = `
  SELECT r.id, r.survey_id, r.school_code, r.school_name, r.status, r.opened_at, r.submitted_at, r.submitted_by,
         r.return_reason, r.version, s.title AS survey_title, s.academic_year, s.as_of_date::text AS as_of_date,
         s.deadline::text AS deadline, s.issued_at
  FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
  WHERE r.id = $1
  FOR UPDATE OF r`;

export const ANSWERS_OF_RESPONSE = `${ANSWERS_READ} WHERE a.response_id = $1 ORDER BY a.id`;

/** What a school's write changes in an answer. */
export type SchoolAnswerField =
  'value' | 'source' | 'confirmedAt' | 'confirmedPrefill' | 'changeReason' | 'explanations' | 'updatedBy';

/** A stored answer written at the version read ($2), with answerFields ($3 to $9): confirm-all's, of pre-filled answers. */
export const ANSWER_WRITE = `
  WITH written AS (
    UPDATE survey_answers
    SET value = $3::jsonb, source = $4, confirmed_at = $5, confirmed_prefill = $6::jsonb, change_reason = $7,
        explanations = $8::jsonb, updated_by = $9, updated_at = now(), version = $2 + 1
    WHERE id = $1 AND version = $2
    RETURNING 1
  )
  SELECT count(*)::int AS written FROM written`;

export const RESPONSE_WRITE = `
  WITH written AS (
    UPDATE survey_responses
    SET status = $3, opened_at = $4, submitted_at = $5, submitted_by = $6, return_reason = $7, version = $2 + 1
    WHERE id = $1 AND version = $2
    RETURNING 1
  )
  SELECT count(*)::int AS written FROM written`;

/** A jsonb parameter: JSON text (the driver would send an array as a PostgreSQL array), SQL NULL for none. */
export const jsonParameter = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The parameters of what a school's write sets in an answer, in ANSWER_WRITE's order: the row as read with the changes. */
export function answerFields(
  answer: Pick<SurveyAnswer, SchoolAnswerField>,
  changes: Partial<Pick<SurveyAnswer, SchoolAnswerField>>,
): unknown[] {
  const next = { ...answer, ...changes };
  return [
    jsonParameter(next.value),
    next.source,
    next.confirmedAt,
    jsonParameter(next.confirmedPrefill),
    next.changeReason,
    JSON.stringify(next.explanations),
    next.updatedBy,
  ];
}

export interface ResponseRow {
  id: string;
  survey_id: string;
  school_code: string;
  school_name: string;
  status: SurveyResponse['status'];
  opened_at: Date | string | null;
  submitted_at: Date | string | null;
  submitted_by: string | null;
  return_reason: string | null;
  version: number;
  survey_title: Survey['title'];
  academic_year: number;
  as_of_date: string;
  deadline: string;
  issued_at: Date | string | null;
  answers?: AnswerRow[];
}

export interface AnswerRow {
  id: string;
  response_id: string;
  question_id: string;
  value: SurveyAnswer['value'];
  source: SurveyAnswer['source'];
  prefilled_value: SurveyAnswer['prefilledValue'];
  last_year_value: SurveyAnswer['lastYearValue'];
  provenance: Provenance | null;
  confirmed_at: Date | string | null;
  confirmed_prefill: SurveyAnswer['confirmedPrefill'];
  change_reason: string | null;
  explanations: Record<string, string>;
  updated_by: string | null;
  updated_at: Date | string;
  version: number;
}

/** A timestamp as a Date: a column gives one, the same column inside json_agg gives its ISO text. */
const instant = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const instantOrNull = (value: Date | string | null) => (value === null ? null : instant(value));

export function stateOf(row: ResponseRow, answers: AnswerRow[]): ResponseState {
  return {
    response: {
      id: row.id,
      surveyId: row.survey_id,
      schoolCode: row.school_code,
      schoolName: row.school_name,
      status: row.status,
      openedAt: instantOrNull(row.opened_at),
      submittedAt: instantOrNull(row.submitted_at),
      submittedBy: row.submitted_by,
      returnReason: row.return_reason,
      version: row.version,
    },
    survey: {
      id: row.survey_id,
      title: row.survey_title,
      academicYear: row.academic_year,
      asOfDate: row.as_of_date,
      deadline: row.deadline,
      issuedAt: instantOrNull(row.issued_at),
    },
    answers: answers.map((a) => ({
      id: a.id,
      responseId: a.response_id,
      questionId: a.question_id,
      value: a.value,
      source: a.source,
      prefilledValue: a.prefilled_value,
      lastYearValue: a.last_year_value,
      provenance: a.provenance,
      confirmedAt: instantOrNull(a.confirmed_at),
      confirmedPrefill: a.confirmed_prefill,
      changeReason: a.change_reason,
      explanations: a.explanations,
      updatedBy: a.updated_by,
      updatedAt: instant(a.updated_at),
      version: a.version,
    })),
  };
}

/** A school's write moves its response's version ("not opened" becomes "in progress"): the SET of both writes below. */
const RESPONSE_MOVES = `
    UPDATE survey_responses
    SET version = version + 1,
        status = CASE WHEN status = 'not_opened' THEN 'in_progress' ELSE status END,
        opened_at = CASE WHEN status = 'not_opened' THEN now() ELSE opened_at END`;

/** The audit row of a school's write ($11 to $20, AuditService.row's order), one for each answer row written (`a`). */
const AUDIT_OF_WRITE = `
    INSERT INTO audit_events (actor_user_id, actor_role, actor_school_code, action, target_type, target_id, before,
                              after, reason, request_id)
    SELECT $11, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19, $20 FROM a`;

/**
 * One school's change to one stored answer, as one statement (no transaction around it): the response's version
 * moves (and "not opened" becomes "in progress") only while the response is open to changes and the answer
 * is at the version the school read; the answer is written only if the response was; the audit row ($11 to
 * $20, AuditService.row's order) only if the answer was. A submission holds the response's lock: this waits
 * for it and then finds the response submitted. Two writers of one answer: the second finds its version
 * moved (written 0, and the response's version moved for nothing, which only makes a submission read
 * before it reload).
 */
export const SCHOOL_ANSWER_WRITE = `
  WITH r AS (${RESPONSE_MOVES}
    WHERE id = $1 AND status = ANY($21::text[])
      AND EXISTS (SELECT 1 FROM survey_answers WHERE id = $2 AND version = $3)
    RETURNING id, version, status, opened_at
  ), a AS (
    UPDATE survey_answers AS x
    SET value = $4::jsonb, source = $5, confirmed_at = $6, confirmed_prefill = $7::jsonb, change_reason = $8,
        explanations = $9::jsonb, updated_by = $10, updated_at = now(), version = $3 + 1
    FROM r
    WHERE x.id = $2 AND x.version = $3 AND x.response_id = r.id
    RETURNING x.id
  ), e AS (${AUDIT_OF_WRITE}
  )
  SELECT r.version, r.status, r.opened_at, (SELECT count(*)::int FROM a) AS written FROM r`;

/**
 * The same for the first write of a question nobody has answered yet (no row; read as empty at version 1,
 * unanswered.ts): its row inserted under the id it was read with ($2; $22 the question), at version 2. Another
 * writer's row, stored before this statement began or while it ran, makes it write nothing (stale), as a moved
 * version does above.
 */
export const SCHOOL_ANSWER_FIRST_WRITE = `
  WITH r AS (${RESPONSE_MOVES}
    WHERE id = $1 AND status = ANY($21::text[]) AND $3 = 1
      AND NOT EXISTS (SELECT 1 FROM survey_answers WHERE id = $2)
    RETURNING id, version, status, opened_at
  ), a AS (
    INSERT INTO survey_answers (id, response_id, question_id, value, source, confirmed_at, confirmed_prefill,
                                change_reason, explanations, updated_by, updated_at, version)
    SELECT $2, r.id, $22::uuid, $4::jsonb, $5::text, $6::timestamptz, $7::jsonb, $8::text, $9::jsonb, $10::text, now(), $3 + 1
    FROM r
    ON CONFLICT DO NOTHING
    RETURNING id
  ), e AS (${AUDIT_OF_WRITE}
  )
  SELECT r.version, r.status, r.opened_at, (SELECT count(*)::int FROM a) AS written FROM r`;
