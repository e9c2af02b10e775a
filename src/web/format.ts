import type { Locale } from '../config/config.js';
import { academicYearLabel, dateLabel } from '../labels/labels.js';

const tag = (locale: Locale) => (locale === 'ja' ? 'ja-JP' : 'en-GB');

/** A calendar date `YYYY-MM-DD` (a deadline, an as-of date): 令和8年5月29日 (2026年5月29日) / 29 May 2026. */
export function formatDate(isoDate: string, locale: Locale): string {
  return dateLabel(isoDate, locale);
}

/** A school year: 令和7年度 (2025年度) / FY2025 (April 2025 – March 2026). */
export function formatAcademicYear(year: number, locale: Locale): string {
  return academicYearLabel(year, locale);
}

/** An instant, in Japan's time: schools and boards read clock times in JST. */
export function formatDateTime(iso: string | Date, locale: Locale): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(tag(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(date);
}

export function formatNumber(value: number, locale: Locale): string {
  return value.toLocaleString(tag(locale), { maximumFractionDigits: 6 });
}
