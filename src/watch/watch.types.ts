/** A flagged student on a school's watch list, by pseudonym (the warehouse knows no other name). */
export interface WatchStudent {
  student: string;
  schoolCode: string;
  grade: string | null;
  homeroomId: string | null;
  homeroom: string | null;
  /** Sum of the urgency weights of the indicators that fired: the list's order. */
  urgency: number;
  /** Absence days in the school year up to the as-of date. */
  absentDays: number;
  lateOrEarly: number;
  indicators: {
    id: string;
    title: { ja: string; en: string };
    value: number | null;
    /** Since when, by the data (YYYY-MM-DD). */
    since: string | null;
    /** The first refresh, in an unbroken line of refreshes, that found it (stored lists only). */
    firstFlaggedOn: string | null;
  }[];
  /** Absence days per week (Mondays), the last weeks up to the as-of date. */
  weeklyAbsences: { week: string; absences: number }[];
  /** Absence days by recorded reason in the year so far (`none` = no reason given). */
  reasons: { reason: string; days: number }[];
}

export interface WatchListPage {
  items: WatchStudent[];
  total: number;
  limit: number;
  offset: number;
  schoolCode: string;
  /** The date the list is computed as of; null when the school's list was never refreshed. */
  asOf: string | null;
  refreshedAt: string | null;
}

export interface WatchSummaryView {
  asOf: string | null;
  /** false: counts passed disclosure control (an analyst). */
  exact: boolean;
  schools: {
    schoolCode: string;
    students: number | null;
    flagged: number | null;
    byIndicator: Record<string, number | null>;
  }[];
  disclosure: Record<string, unknown> | null;
}

/** A list read with the school's own identities (recomputed from its roster files in the request; never stored). */
export interface IdentifiedWatchList {
  schoolCode: string;
  asOf: string | null;
  matched: number;
  unmatched: number;
  students: (WatchStudent & {
    asOf: string | null;
    identity: {
      localId: string;
      shussekiNo: string | null;
      homeroomId: string | null;
      homeroomTitle: string | null;
    } | null;
  })[];
}
