import type { Loader, LoggerInterface, Spec as VegaSpec } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { textOf } from '../common/text-of.js';

/** A Vega-Lite spec that does not compile or render; the message names the spec. */
export class ChartSpecError extends Error {
  constructor(
    readonly spec: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ChartSpecError';
  }
}

/** Rows of one dataset, as a query returns them (bigint counts from DuckDB are accepted). */
export type ChartRows = Record<string, unknown>[];

export interface ChartSize {
  width?: number;
  height?: number;
}

/** The one font for every chart text: the PDF printer embeds it, and it has every kanji a report needs. */
export const CHART_FONT = 'Noto Sans CJK JP';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');
interface ChartModules {
  vega: VegaModule;
  vl: VegaLiteModule;
}

let modules: Promise<ChartModules> | undefined;

/**
 * vega cannot be `require`d (top-level await in vega-canvas), so both are loaded with a real
 * dynamic import, once per process, one after the other: a Promise.all of the two fails under Jest ESM.
 */
function loadModules(): Promise<ChartModules> {
  modules ??= (async () => {
    const vega = await import('vega');
    const vl = await import('vega-lite');
    // Not in vega's typings; vega-scenegraph documents replacing `width` (as vl-convert does).
    (vega as unknown as { textMetrics: { width: typeof estimateTextWidth } }).textMetrics.width = estimateTextWidth;
    return { vega, vl };
  })().catch((error: unknown) => {
    modules = undefined;
    throw error;
  });
  return modules;
}

/**
 * Without a canvas, vega guesses 0.8 em per character, which is 20 % short for kanji and kana
 * (1 em in Noto Sans CJK): Japanese axis titles would collide with tick labels and legends would
 * overflow the SVG. This guess knows full-width characters; vega calls it for layout and truncation.
 */
function estimateTextWidth(item: { fontSize?: number; text?: unknown }, text: unknown): number {
  const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
  let ems = 0;
  for (const char of textOf(text).trim()) {
    const code = char.codePointAt(0) ?? 0;
    if (isFullWidth(code)) ems += 1;
    else if (
      char === ' ' ||
      char === '.' ||
      char === ',' ||
      char === ':' ||
      char === ';' ||
      char === "'" ||
      char === '|' ||
      char === 'i' ||
      char === 'l'
    )
      ems += 0.3;
    else if ((char >= 'A' && char <= 'Z') || char === 'm' || char === 'w' || char === '%') ems += 0.68;
    else ems += 0.56;
  }
  return Math.ceil(ems * size);
}

function isFullWidth(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo
    (code >= 0x2e80 && code <= 0xa4cf) || // CJK radicals … kana, CJK unified ideographs, Yi
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) || // CJK compatibility forms
    (code >= 0xff00 && code <= 0xff60) || // full-width forms (not the half-width katakana after)
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

const MARKS = new Set([
  'arc',
  'area',
  'bar',
  'image',
  'line',
  'point',
  'rect',
  'rule',
  'text',
  'tick',
  'trail',
  'circle',
  'square',
  'geoshape',
  'boxplot',
  'errorbar',
  'errorband',
]);

const FIELD_TYPES = new Set(['quantitative', 'ordinal', 'temporal', 'nominal', 'geojson']);

/**
 * Warnings by which vega-lite says it dropped or replaced part of a spec. In a report template they
 * are authoring mistakes (a chart silently missing its colour or its y axis), so they fail the check.
 * Matched on the text: vega-lite does not export its message functions.
 */
const INVALID_SPEC_WARNINGS: RegExp[] = [
  /is not a valid encoding channel/,
  /dropped as it is incompatible with/,
  /^Invalid field type/,
  /^Invalid aggregation operator/,
  /since it does not contain any data field, datum, value, or signal/,
  /^Invalid [A-Za-z ]+: /, // an invalid time unit part
  /^Unrecognized parse/,
  /^Ignoring an invalid transform/,
  /^Cannot find a selection named/,
  /^Unknown repeated value/,
  /is required for "binned" bin/,
  /is required for threshold scale/,
  /^Lookups can only be performed on selection parameters/,
  /does not work with ".*" scale/,
  /is dropped as it does not work with .* scale/,
];

/** Japanese month and day names for time axes (d3-time-format's ja-JP locale). */
const JA_TIME_LOCALE = {
  dateTime: '%x %a %X',
  date: '%Y/%m/%d',
  time: '%H:%M:%S',
  periods: ['午前', '午後'],
  days: ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'],
  shortDays: ['日', '月', '火', '水', '木', '金', '土'],
  months: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
  shortMonths: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
};

/** A chart gets its rows from the caller only: a spec that fetches a URL (or a file) is refused. */
const noExternalLoading: Loader = {
  load: (uri) => Promise.reject(new Error(`external data is not allowed in a report chart (${uri})`)),
  sanitize: (uri) => Promise.reject(new Error(`external resources are not allowed in a report chart (${uri})`)),
  http: (uri) => Promise.reject(new Error(`external data is not allowed in a report chart (${uri})`)),
  file: (filename) => Promise.reject(new Error(`external data is not allowed in a report chart (${filename})`)),
};

type JsonObject = Record<string, unknown>;

interface SpecOutline {
  /** Dataset names the spec reads (`data: { name }`, lookups included). */
  datasetNames: Set<string>;
}

/** Vega-Lite → SVG on the server, no browser. */
export class ChartRenderer {
  /**
   * Compiles a Vega-Lite spec and parses the Vega it becomes; throws ChartSpecError naming `name`
   * for an unknown mark, an invalid encoding channel, field type or aggregate, a bad expression,
   * or data loaded from a URL.
   */
  async check(name: string, spec: object): Promise<void> {
    const { vega, vl } = await loadModules();
    const compiled = this.compile(vl, name, spec as JsonObject, undefined);
    try {
      vega.parse(compiled);
    } catch (error) {
      throw new ChartSpecError(name, `chart "${name}" does not parse as Vega: ${messageOf(error)}`, { cause: error });
    }
  }

  /**
   * Renders a spec to an SVG string. `data` maps dataset name → rows: a spec whose data (top level,
   * a layer, or a lookup) is `{ "name": "table" }` gets `data.table`; a spec with no top-level data
   * given exactly one dataset takes it as its top-level data. Every text is set in Noto Sans CJK JP.
   */
  async toSvg(name: string, spec: object, data: Record<string, ChartRows>, options: ChartSize = {}): Promise<string> {
    const { vega, vl } = await loadModules();
    const source = spec as JsonObject;
    const datasets: Record<string, ChartRows> = {};
    for (const [datasetName, rows] of Object.entries(data)) {
      if (!Array.isArray(rows)) {
        throw new ChartSpecError(name, `chart "${name}": dataset "${datasetName}" is not an array of rows`);
      }
      datasets[datasetName] = rows.map(copyRow);
    }
    const withData: JsonObject = { ...source };
    const given = Object.keys(datasets);
    if (withData.data === undefined && given.length === 1) withData.data = { name: given[0] };
    if (options.width !== undefined) withData.width = options.width;
    if (options.height !== undefined) withData.height = options.height;

    const compiled = this.compile(vl, name, withData, datasets);
    const errors: string[] = [];
    let view: InstanceType<VegaModule['View']> | undefined;
    try {
      view = new vega.View(vega.parse(compiled), {
        renderer: 'none',
        loader: noExternalLoading,
        logger: collectingLogger(vega.None, [], errors),
      });
      const svg = await view.toSVG();
      if (errors.length > 0) throw new Error(errors.join('; '));
      return svg;
    } catch (error) {
      if (error instanceof ChartSpecError) throw error;
      throw new ChartSpecError(name, `chart "${name}" failed to render: ${messageOf(error)}`, { cause: error });
    } finally {
      view?.finalize();
    }
  }

  /** `datasets` undefined: only checking, the rows come later. */
  private compile(
    vl: VegaLiteModule,
    name: string,
    spec: JsonObject,
    datasets: Record<string, ChartRows> | undefined,
  ): VegaSpec {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      throw new ChartSpecError(name, `chart "${name}" is not a Vega-Lite spec object`);
    }
    const outline = outlineOf(name, spec);
    const ownDatasets = isObject(spec.datasets) ? spec.datasets : {};
    if (datasets !== undefined) {
      const missing = [...outline.datasetNames].filter((n) => !(n in datasets) && !(n in ownDatasets));
      if (missing.length > 0) {
        throw new ChartSpecError(
          name,
          `chart "${name}" reads dataset ${missing.map((n) => `"${n}"`).join(', ')} but no rows were given for it`,
        );
      }
    }
    const config = isObject(spec.config) ? spec.config : {};
    const locale = isObject(config.locale) ? config.locale : {};
    const input = {
      ...spec,
      datasets: { ...ownDatasets, ...datasets },
      config: { ...config, font: CHART_FONT, locale: { time: JA_TIME_LOCALE, ...locale } },
    } as TopLevelSpec;

    const warnings: string[] = [];
    const errors: string[] = [];
    let compiled: VegaSpec;
    try {
      compiled = vl.compile(input, { logger: collectingLogger(2 /* Warn */, warnings, errors) }).spec;
    } catch (error) {
      throw new ChartSpecError(name, `chart "${name}" does not compile: ${messageOf(error)}`, { cause: error });
    }
    const fatal = [...errors, ...warnings.filter((w) => INVALID_SPEC_WARNINGS.some((pattern) => pattern.test(w)))];
    if (fatal.length > 0) {
      throw new ChartSpecError(name, `chart "${name}" is invalid: ${fatal.join('; ')}`);
    }
    return compiled;
  }
}

/**
 * Walks the spec (not its config) for what vega-lite itself reports badly: an unknown mark crashes
 * its compiler with a TypeError, and URL data would make a report read files or the network.
 */
function outlineOf(name: string, spec: JsonObject): SpecOutline {
  const datasetNames = new Set<string>();
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${path}[${i}]`));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (key === 'config' || key === 'datasets') continue;
      if (key === 'mark') {
        const type = isObject(value) ? value.type : value;
        if (typeof type !== 'string' || !MARKS.has(type)) {
          throw new ChartSpecError(
            name,
            `chart "${name}" has an unknown mark ${JSON.stringify(type)} at ${at} (known: ${[...MARKS].join(', ')})`,
          );
        }
      } else if (key === 'encoding' && isObject(value)) {
        for (const [channel, defs] of Object.entries(value)) {
          for (const def of Array.isArray(defs) ? defs : [defs]) {
            // vega-lite reports a misspelt type as `Invalid field type "undefined"`
            if (isObject(def) && def.type !== undefined && !FIELD_TYPES.has(def.type as string)) {
              throw new ChartSpecError(
                name,
                `chart "${name}" has an unknown field type ${JSON.stringify(def.type)} at ${at}.${channel}.type (known: ${[...FIELD_TYPES].join(', ')})`,
              );
            }
          }
        }
      } else if (key === 'data' && isObject(value)) {
        if (typeof value.url === 'string') {
          throw new ChartSpecError(
            name,
            `chart "${name}" loads data from a URL at ${at}; give the rows as a named dataset instead`,
          );
        }
        if (typeof value.name === 'string') datasetNames.add(value.name);
      }
      visit(value, at);
    }
  };
  visit(spec, '');
  return { datasetNames };
}

function collectingLogger(level: number, warnings: string[], errors: string[]): LoggerInterface {
  let current = level;
  const logger = {
    level(next?: number) {
      if (next === undefined) return current;
      current = next;
      return logger;
    },
    error(...args: unknown[]) {
      errors.push(args.map(messageOf).join(' '));
      return logger;
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(messageOf).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/**
 * A copy per render: vega stamps an id on every row it ingests, so two renders sharing one array
 * would renumber each other's rows. DuckDB counts arrive as bigint, which vega's arithmetic rejects.
 */
function copyRow(row: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) copy[key] = typeof value === 'bigint' ? Number(value) : value;
  return copy;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
