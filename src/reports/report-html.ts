/**
 * A report as one self-contained HTML document with print CSS (A4, Noto Sans CJK JP), charts inline
 * as SVG, the parameters, the data's as-of date and the disclosure rules applied; Chromium prints it.
 */
import type { CohortResult } from '../cohorts/cohort-result.js';
import type { DisclosureReport } from '../disclosure/disclosure.types.js';
import { canonicalJson } from '../cohorts/cohort-definition.js';
import { dateLabel } from '../labels/labels.js';
import { escapeHtml } from './pdf-printer.js';
import { fillText, formatValue, type DatasetRows, type Locale, type PlaceholderContext } from './placeholders.js';
import { cohortKey, type ReportTemplate } from './report-template.js';

export interface ComposeInput {
  template: ReportTemplate;
  locale: Locale;
  /** Parameter values as shown (school and programme names, survey titles). */
  shownParams: { label: string; value: string }[];
  context: PlaceholderContext;
  /** The datasets as tables print them (codes in words); the context's datasets otherwise. */
  tables?: Record<string, DatasetRows>;
  /** Rendered charts, by spec file name. */
  charts: Record<string, string>;
  cohorts: Record<string, CohortResult>;
  disclosure: DisclosureReport | null;
  asOf: string | null;
  generatedAt: Date;
  /** For a school's own profile: the school it is exact for. */
  exactFor?: string;
}

const T = {
  ja: {
    asOf: 'データ基準日',
    generated: '作成',
    disclosure: '開示制御',
    exact: (school: string) => `この報告は${school}に送る版で、開示制御をかけない正確な値です(他校には送りません)。`,
    noData: '該当するデータがありません。',
    definition: 'コホート定義',
    hash: '定義のハッシュ (SHA-256)',
    saved: '保存名・版',
    method: '分析手法',
    redactedCells: (n: number) => `秘匿したセル: ${n}(表の「—」は秘匿または該当なし)`,
    unknown: '不明',
  },
  en: {
    asOf: 'Data as of',
    generated: 'Generated',
    disclosure: 'Disclosure control',
    exact: (school: string) =>
      `This copy is for ${school}: exact figures, no disclosure control (not sent to other schools).`,
    noData: 'No data.',
    definition: 'Cohort definition',
    hash: 'Definition hash (SHA-256)',
    saved: 'Saved name and version',
    method: 'Method',
    redactedCells: (n: number) => `Cells redacted: ${n} (a dash in a table is redacted or not applicable)`,
    unknown: 'unknown',
  },
};

const CSS = `
  @page { size: A4; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-family: 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif; font-size: 10pt; color: #1d1d1f; line-height: 1.6; margin: 0; }
  header { border-bottom: 2px solid #2b5797; margin-bottom: 5mm; padding-bottom: 2mm; }
  h1 { font-size: 18pt; margin: 0 0 1mm; color: #2b5797; }
  h2 { font-size: 12pt; margin: 0 0 2mm; }
  .meta { font-size: 8.5pt; color: #555; }
  .meta span + span::before { content: ' ・ '; }
  section { margin: 0 0 6mm; break-inside: avoid; }
  .chart svg { max-width: 100%; height: auto; }
  table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
  th, td { border: 1px solid #c9ced6; padding: 1mm 2mm; text-align: left; vertical-align: top; }
  th { background: #eef2f8; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  pre { font-size: 7.5pt; white-space: pre-wrap; word-break: break-all; background: #f5f6f8; padding: 2mm; margin: 1mm 0; }
  .note { font-size: 8.5pt; color: #444; }
  footer.disclosure { border-top: 1px solid #c9ced6; padding-top: 2mm; break-inside: avoid; }
`;

function tableHtml(
  rows: DatasetRows,
  columns: { field: string; label: { ja: string; en: string }; format?: string }[],
  context: PlaceholderContext,
  empty: string,
): string {
  if (rows.length === 0) return `<p class="note">${escapeHtml(empty)}</p>`;
  const head = columns.map((c) => `<th>${escapeHtml(c.label[context.locale])}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((c) => {
        const value = row[c.field];
        const numeric = typeof value === 'number' || value === null;
        // In a table a dash is a redacted or not applicable cell (the footer says so).
        const text = value === undefined || value === null ? '—' : formatValue(value, c.format, context);
        return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function definitionHtml(result: CohortResult | undefined, locale: Locale): string {
  const t = T[locale];
  if (!result) return `<p class="note">${t.noData}</p>`;
  const rows = [
    [t.method, result.method],
    [t.hash, result.definitionHash],
    ...(result.savedAs ? [[t.saved, `${result.savedAs.name} v${result.savedAs.version}`]] : []),
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table><pre>${escapeHtml(canonicalJson(result.definition))}</pre>`;
}

export function composeReportHtml(input: ComposeInput): string {
  const { template, locale, context } = input;
  const t = T[locale];
  const title = template.title[locale];
  const meta = [
    ...input.shownParams.map((p) => `<span>${escapeHtml(p.label)}: ${escapeHtml(p.value)}</span>`),
    `<span>${t.asOf}: ${escapeHtml(input.asOf ? dateLabel(input.asOf, locale) : t.unknown)}</span>`,
    `<span>${t.generated}: ${escapeHtml(input.generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</span>`,
  ].join('');
  const cohortFor = (dataset: string): CohortResult | undefined => {
    const source = template.datasets[dataset];
    return source?.source === 'cohort' ? input.cohorts[cohortKey(source)] : undefined;
  };
  const sections = template.sections
    .map((section) => {
      switch (section.kind) {
        case 'text':
          return `<section><p>${escapeHtml(fillText(section.text[locale], context))}</p></section>`;
        case 'chart':
          return `<section class="chart"><h2>${escapeHtml(section.title[locale])}</h2>${input.charts[section.spec]}</section>`;
        case 'table':
          return `<section><h2>${escapeHtml(section.title[locale])}</h2>${tableHtml((input.tables ?? context.datasets)[section.dataset] ?? [], section.columns, context, section.empty?.[locale] ?? t.noData)}</section>`;
        case 'definition':
          return `<section><h2>${escapeHtml(section.title[locale])}</h2>${definitionHtml(cohortFor(section.dataset), locale)}</section>`;
      }
    })
    .join('\n');
  const disclosure = input.exactFor
    ? `<p>${escapeHtml(t.exact(input.exactFor))}</p>`
    : input.disclosure
      ? `<ul>${(locale === 'ja' ? input.disclosure.rulesJa : input.disclosure.rules).map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul><p>${escapeHtml(t.redactedCells(input.disclosure.cellsRedacted))}</p>`
      : '';
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="meta">${meta}</div></header>
${sections}
<footer class="disclosure note"><h2>${t.disclosure}</h2>${disclosure}</footer>
</body></html>`;
}
