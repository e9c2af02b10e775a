/**
 * Report templates: a folder `reports/<id>/` with `manifest.json` (titles, parameters, datasets,
 * sections) and its Vega-Lite specs (and, for cohort datasets, cohort definition templates). Loaded
 * and checked once at boot: a manifest that breaks its schema, a spec that does not compile, a
 * dataset a chart or text names but the manifest lacks, a placeholder with no value, or a published
 * or analytical template reading exact figures stops the start with the template's name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../auth/roles.js';
import { type JsonSchema, validateJson } from '../common/json-schema.js';
import { projectRoot } from '../common/project-root.js';
import { OUTCOMES } from '../cohorts/cohort-definition.js';
import { FORMATS, placeholdersOf } from './placeholders.js';

export type Localized = { ja: string; en: string };
export type ParameterType = 'academicYear' | 'academicYears' | 'school' | 'programme' | 'survey' | 'choice';

export interface ReportParameter {
  name: string;
  type: ParameterType;
  required: boolean;
  label: Localized;
  choices?: string[];
  default?: unknown;
}

export type DatasetSource =
  | { source: 'metric'; metric: string; total?: boolean; yearsBack?: number }
  /** A cohort definition file of the template (parameters substituted), or a saved definition by name (and version: default the latest). */
  | {
      source: 'cohort';
      definition?: string;
      saved?: { name: string; version?: number };
      table: string;
      where?: Record<string, string | number>;
    }
  | { source: 'survey'; part: 'status' | 'totals' | 'distribution' | 'burden' };

export type Section =
  | { kind: 'text'; text: Localized }
  | { kind: 'chart'; title: Localized; spec: string }
  | {
      kind: 'table';
      title: Localized;
      dataset: string;
      columns: { field: string; label: Localized; format?: string }[];
      empty?: Localized;
    }
  | { kind: 'definition'; title: Localized; dataset: string };

export interface ReportTemplate {
  id: string;
  title: Localized;
  description: Localized;
  /** school: a school's own exact figures; analytical and published: figures through disclosure control only. */
  audience: 'school' | 'analytical' | 'published';
  roles: Role[];
  eachSchool: boolean;
  parameters: ReportParameter[];
  datasets: Record<string, DatasetSource>;
  sections: Section[];
  /** Loaded files: Vega-Lite specs and cohort definition templates, by file name. */
  specs: Record<string, object>;
  cohorts: Record<string, unknown>;
  dir: string;
}

/** Which cohort run a dataset reads: datasets naming the same definition share one run. */
export function cohortKey(dataset: { definition?: string; saved?: { name: string; version?: number } }): string {
  return dataset.saved
    ? `saved:${dataset.saved.name}@${dataset.saved.version ?? 'latest'}`
    : `file:${dataset.definition}`;
}

export class ReportTemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
  ) {
    super(`report template ${template}: ${message}`);
    this.name = 'ReportTemplateError';
  }
}

const localized: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ja', 'en'],
  properties: { ja: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const fileName: JsonSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*\\.json$' };

export const MANIFEST_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'description', 'audience', 'roles', 'eachSchool', 'parameters', 'datasets', 'sections'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    title: localized,
    description: localized,
    audience: { type: 'string', enum: ['school', 'analytical', 'published'] },
    roles: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: ['board_admin', 'analyst', 'school'] },
    },
    eachSchool: { type: 'boolean' },
    parameters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'required', 'label'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]*$' },
          type: { type: 'string', enum: ['academicYear', 'academicYears', 'school', 'programme', 'survey', 'choice'] },
          required: { type: 'boolean' },
          label: localized,
          choices: { type: 'array', items: { type: 'string' }, minItems: 1 },
          default: { type: 'string' },
        },
      },
    },
    datasets: { type: 'object' },
    sections: { type: 'array', minItems: 1, items: { type: 'object' } },
  },
};

const DATASET_SCHEMA: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'metric'],
      properties: {
        source: { type: 'string', enum: ['metric'] },
        metric: { type: 'string' },
        total: { type: 'boolean' },
        yearsBack: { type: 'integer', minimum: 0, maximum: 11 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'table'],
      properties: {
        source: { type: 'string', enum: ['cohort'] },
        definition: fileName,
        saved: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,79}$' },
            version: { type: 'integer', minimum: 1 },
          },
        },
        table: { type: 'string' },
        where: { type: 'object' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'part'],
      properties: {
        source: { type: 'string', enum: ['survey'] },
        part: { type: 'string', enum: ['status', 'totals', 'distribution', 'burden'] },
      },
    },
  ],
  discriminator: { propertyName: 'source' },
};

const SECTION_SCHEMA: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'text'],
      properties: { kind: { type: 'string', enum: ['text'] }, text: localized },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'title', 'spec'],
      properties: { kind: { type: 'string', enum: ['chart'] }, title: localized, spec: fileName },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'title', 'dataset', 'columns'],
      properties: {
        kind: { type: 'string', enum: ['table'] },
        title: localized,
        dataset: { type: 'string' },
        empty: localized,
        columns: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['field', 'label'],
            properties: { field: { type: 'string' }, label: localized, format: { type: 'string', enum: FORMATS } },
          },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'title', 'dataset'],
      properties: { kind: { type: 'string', enum: ['definition'] }, title: localized, dataset: { type: 'string' } },
    },
  ],
  discriminator: { propertyName: 'kind' },
};

/** Context names a text may use besides the datasets, per parameter type. */
const CONTEXT_NAMES: Record<ParameterType, string[]> = {
  academicYear: [''],
  academicYears: [''],
  school: ['.code', '.name'],
  programme: ['.id', '.name'],
  survey: ['.id', '.title', '.academicYear', '.asOfDate'],
  choice: ['', '.label'],
};

function readJson(template: string, path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReportTemplateError(
      template,
      `${path.split('/').slice(-1)[0]} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** Names of datasets a Vega-Lite spec reads (`data: {name}` anywhere in it). */
export function datasetsOfSpec(spec: unknown): string[] {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const data = record.data as { name?: unknown } | undefined;
      if (data && typeof data === 'object' && typeof data.name === 'string') names.add(data.name);
      for (const [key, value] of Object.entries(record)) if (key !== 'data') walk(value);
    }
  };
  walk(spec);
  return [...names];
}

/** Loads one template folder and checks everything that does not need the stores. */
export function loadReportTemplate(dir: string, id: string): ReportTemplate {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ReportTemplateError(id, 'manifest.json is missing');
  const manifest = readJson(id, manifestPath) as Record<string, unknown>;
  const problems = validateJson(MANIFEST_SCHEMA, manifest);
  for (const [name, dataset] of Object.entries((manifest.datasets as Record<string, unknown>) ?? {}))
    problems.push(...validateJson(DATASET_SCHEMA, dataset, `datasets.${name}`));
  ((manifest.sections as unknown[]) ?? []).forEach((section, i) =>
    problems.push(...validateJson(SECTION_SCHEMA, section, `sections[${i}]`)),
  );
  if (problems.length > 0)
    throw new ReportTemplateError(
      id,
      `manifest.json: ${problems.map((p) => `${p.field} ${p.messages.join('; ')}`).join(', ')}`,
    );
  const template: ReportTemplate = { ...(manifest as unknown as ReportTemplate), specs: {}, cohorts: {}, dir };
  if (template.id !== id)
    throw new ReportTemplateError(id, `manifest id "${template.id}" differs from its folder name`);

  const datasets = new Set(Object.keys(template.datasets));
  for (const [name, dataset] of Object.entries(template.datasets)) {
    if (dataset.source === 'metric' && template.audience !== 'school') {
      throw new ReportTemplateError(
        id,
        `datasets.${name}: a ${template.audience} report reads figures through disclosure control (cohort or survey datasets), not exact metric values`,
      );
    }
    if (dataset.source === 'metric' && !template.parameters.some((p) => p.type === 'academicYear'))
      throw new ReportTemplateError(id, `datasets.${name}: a metric needs an academicYear parameter`);
    if (dataset.source === 'survey' && !template.parameters.some((p) => p.type === 'survey'))
      throw new ReportTemplateError(id, `datasets.${name}: a survey dataset needs a survey parameter`);
    if (dataset.source === 'cohort' && !dataset.definition === !dataset.saved)
      throw new ReportTemplateError(id, `datasets.${name}: give either a definition file or a saved definition`);
    if (dataset.source === 'cohort' && dataset.definition && !template.cohorts[dataset.definition]) {
      const path = join(dir, dataset.definition);
      if (!existsSync(path)) throw new ReportTemplateError(id, `datasets.${name}: ${dataset.definition} is missing`);
      template.cohorts[dataset.definition] = readJson(id, path);
    }
  }
  for (const [i, section] of template.sections.entries()) {
    if (section.kind === 'chart') {
      const path = join(dir, section.spec);
      if (!existsSync(path)) throw new ReportTemplateError(id, `sections[${i}]: ${section.spec} is missing`);
      const spec = readJson(id, path) as object;
      template.specs[section.spec] = spec;
      for (const name of datasetsOfSpec(spec))
        if (!datasets.has(name))
          throw new ReportTemplateError(
            id,
            `${section.spec} reads dataset "${name}", which the manifest does not declare`,
          );
    }
    if (
      (section.kind === 'table' || section.kind === 'definition') &&
      !datasets.has(section.dataset) &&
      section.dataset !== 'attrition'
    ) {
      throw new ReportTemplateError(
        id,
        `sections[${i}] reads dataset "${section.dataset}", which the manifest does not declare`,
      );
    }
    if (section.kind === 'text') {
      for (const locale of ['ja', 'en'] as const) {
        for (const { path } of placeholdersOf(section.text[locale])) {
          const [head, ...rest] = path.split('.');
          if (datasets.has(head)) continue;
          const parameter = template.parameters.find((p) => p.name === head);
          const suffix = rest.length ? `.${rest.join('.')}` : '';
          if (!parameter || !CONTEXT_NAMES[parameter.type].includes(suffix))
            throw new ReportTemplateError(
              id,
              `sections[${i}].text.${locale}: {{${path}}} names no parameter or dataset`,
            );
        }
      }
    }
  }
  for (const p of template.parameters) {
    if (p.type === 'choice' && !p.choices)
      throw new ReportTemplateError(id, `parameter ${p.name}: a choice needs choices`);
    if (p.name === 'outcome' && p.choices?.some((c) => !(OUTCOMES as readonly string[]).includes(c)))
      throw new ReportTemplateError(id, `parameter ${p.name}: unknown outcome`);
  }
  if (template.eachSchool && !template.parameters.some((p) => p.type === 'school'))
    throw new ReportTemplateError(id, 'eachSchool needs a school parameter');
  // Exact figures go to one school (and the board) only: a school-audience report is about one school.
  if (template.audience === 'school' && !template.parameters.some((p) => p.type === 'school' && p.required))
    throw new ReportTemplateError(id, 'a school-audience report needs a required school parameter');
  return template;
}

/** Every template under reports/. */
export function loadReportTemplates(root = join(projectRoot(), 'reports')): ReportTemplate[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((id) => loadReportTemplate(join(root, id), id));
}
