import { readFileSync } from 'node:fs';
import { DEFINITIONS_FILE, renderDefinitions } from './definitions.js';
import { loadMetricCatalogue } from '../metrics/metric-catalogue.js';
import { loadIndicatorCatalogue } from '../watch/indicator-catalogue.js';

describe('docs/definitions.md', () => {
  const committed = readFileSync(DEFINITIONS_FILE, 'utf8');

  it('is what the code says (run `shirube docs definitions` after changing a metric or a disclosure rule)', () => {
    expect(renderDefinitions(committed)).toBe(committed);
  });

  it('defines every metric of the catalogue', () => {
    for (const metric of loadMetricCatalogue()) expect(committed).toContain(`\`${metric.id}\``);
  });

  it('defines every early-warning indicator of the catalogue', () => {
    for (const indicator of loadIndicatorCatalogue()) expect(committed).toContain(`\`${indicator.id}\``);
  });

  it('refuses a document whose generated block was removed', () => {
    expect(() => renderDefinitions(committed.replace('<!-- /generated:metrics -->', ''))).toThrow(/metrics/);
  });
});
