import { readRules } from '../staging/rule-engine.js';

/**
 * What makes an attendance row an error or a warning (queries/ingest/attendance/rules.sql, with the
 * per-student rules): one rule set, for both ways a file loads (attendance.feed.ts, attendance-direct.ts).
 */
export const ATTENDANCE_RULES = readRules('attendance/rules');
