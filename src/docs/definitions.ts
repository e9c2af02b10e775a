/**
 * docs/definitions.md defines every figure the product computes. Its prose is written by hand; the
 * parts that code already states — the metric and indicator catalogues' contracts, the disclosure rules' sentences —
 * are blocks between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers, rewritten from
 * the code by `shirube docs definitions` so the document cannot drift from what runs (a test checks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { describeRules } from '../disclosure/disclosure-rules.js';
import { DEFAULT_DISCLOSURE } from '../disclosure/disclosure.types.js';
import { loadMetricCatalogue } from '../metrics/metric-catalogue.js';
import { describe as describeIndicator, loadIndicatorCatalogue } from '../watch/indicator-catalogue.js';

export const DEFINITIONS_FILE = join(projectRoot(), 'docs', 'definitions.md');

function metricsBlock(): string {
  const lines: string[] = [];
  for (const metric of loadMetricCatalogue()) {
    lines.push(
      `### ${metric.title.ja} — ${metric.title.en}`,
      '',
      `- id: \`${metric.id}\` (\`queries/metrics/${metric.file}\`)`,
      `- 定義: ${metric.description.ja}`,
      `- Definition: ${metric.description.en}`,
      `- unit: ${metric.unit}; dimensions: ${metric.dimensions.length ? metric.dimensions.join(', ') : '—'}; parameters: ${metric.parameters.join(', ')}`,
      `- sources: ${metric.sources.join(', ')}`,
      `- answers: ${metric.answers}`,
      '',
    );
  }
  return lines.join('\n');
}

/** The early-warning indicators (queries/indicators), with their default thresholds written in. */
function indicatorsBlock(): string {
  const lines: string[] = [];
  for (const indicator of loadIndicatorCatalogue()) {
    const defaults = Object.fromEntries(indicator.parameters.map((parameter) => [parameter.name, parameter.default]));
    const thresholds = indicator.parameters.map((parameter) =>
      parameter.type === 'integer'
        ? `${parameter.name} = ${parameter.default} (${parameter.min}–${parameter.max})`
        : `${parameter.name} = ${parameter.default} (${parameter.choices.join(' | ')})`,
    );
    lines.push(
      `### ${indicator.title.ja} — ${indicator.title.en}`,
      '',
      `- id: \`${indicator.id}\` (\`queries/indicators/${indicator.file}\`)`,
      `- 定義: ${describeIndicator(indicator, defaults, 'ja')}`,
      `- Definition: ${describeIndicator(indicator, defaults, 'en')}`,
      `- unit: ${indicator.unit}; flags: ${indicator.flags === 'alone' ? 'alone' : 'with another'}; urgency: ${indicator.urgency}`,
      `- thresholds (defaults, the board may change them): ${thresholds.join(', ') || '—'}`,
      `- sources: ${indicator.sources.join(', ')}`,
      '',
    );
  }
  return lines.join('\n');
}

function disclosureBlock(): string {
  const { rules, rulesJa } = describeRules(DEFAULT_DISCLOSURE, {
    area: true,
    secondary: true,
    rates: true,
    statistics: true,
    boundedMeans: true,
  });
  return [
    `With the default settings (SHIRUBE_DISCLOSURE_MAX_REDACTED=${DEFAULT_DISCLOSURE.maxRedactedCount}, SHIRUBE_DISCLOSURE_ROUNDING=${DEFAULT_DISCLOSURE.rounding}, SHIRUBE_DISCLOSURE_MIN_SCHOOLS=${DEFAULT_DISCLOSURE.minSchools}), in the order they are applied:`,
    '',
    ...rules.map((rule, i) => `${i + 1}. ${rule}\n   ${rulesJa[i]}`),
    '',
  ].join('\n');
}

const BLOCKS: Record<string, () => string> = {
  metrics: metricsBlock,
  indicators: indicatorsBlock,
  disclosure: disclosureBlock,
};

/** The document with every generated block rewritten from the code. */
export function renderDefinitions(current: string): string {
  let text = current;
  for (const [name, render] of Object.entries(BLOCKS)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`docs/definitions.md: the ${open} … ${close} block is missing`);
    text = `${text.slice(0, start + open.length)}\n\n${render()}\n${text.slice(end)}`;
  }
  return text;
}

export function writeDefinitions(): { file: string; changed: boolean } {
  const current = readFileSync(DEFINITIONS_FILE, 'utf8');
  const next = renderDefinitions(current);
  if (next !== current) writeFileSync(DEFINITIONS_FILE, next);
  return { file: DEFINITIONS_FILE, changed: next !== current };
}
