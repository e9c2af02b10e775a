import { FILE_PROBLEMS } from './file-problems.js';
import { ONEROSTER_PROBLEMS } from './oneroster-problems.js';
import { fillMessage, type ProblemMessage, type ProblemParams } from './problem-text.js';
import { XAPI_PROBLEMS } from './xapi-problems.js';

/**
 * The words of every problem raised in TypeScript, by code, in Japanese and English. A problem of a rules
 * file (queries/ingest/<area>/*.sql) has its words in the file (`@says_ja`, `@says`), under the code
 * `<file>:<rule>` (e.g. `attendance/rules:status_required`).
 */
export const PROBLEM_MESSAGES = { ...FILE_PROBLEMS, ...ONEROSTER_PROBLEMS, ...XAPI_PROBLEMS } satisfies Record<
  string,
  ProblemMessage
>;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

/** What a problem says: its code, the params its words are filled with, and its English text (`rule`). */
export interface Said {
  code: ProblemCode;
  params?: ProblemParams;
  /** The English words, as a problem's `rule` always had them (API clients read it). */
  rule: string;
}

/** A problem's code and params, with its English text: spread into a Problem. */
export function say(code: ProblemCode, params?: ProblemParams): Said {
  const message: ProblemMessage = PROBLEM_MESSAGES[code];
  return params ? { code, params, rule: fillMessage(message, params, 'en') } : { code, rule: message.en };
}
