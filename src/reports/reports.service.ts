import { codeOf } from '../common/error-codes.js';
import { DomainError } from '../common/domain-error.js';
import { statusOf } from '../common/error.filter.js';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { forbiddenSchool } from '../auth/auth.errors.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { printerUnavailable, templateForbidden } from './reports.errors.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { mergeReports } from '../disclosure/disclosure-control.js';
import { Telemetry } from '../observability/telemetry.js';
import { ChartRenderer, ChartSpecError } from './chart-renderer.js';
import { academicYearLabel, dateLabel } from '../labels/labels.js';
import { labelDatasets, localizeSpec } from './report-labels.js';
import { ChromiumUnavailableError, PdfPrinter } from './pdf-printer.js';
import type { Locale, PlaceholderContext } from './placeholders.js';
import { ReportDataService } from './report-data.js';
import { composeReportHtml } from './report-html.js';
import { loadReportTemplates, ReportTemplateError, type ReportTemplate } from './report-template.js';
import { textOf } from '../common/text-of.js';

export interface RenderedReport {
  pdf: Buffer;
  filename: string;
  /** The cohort definitions it ran (hash and, when saved, name and version). */
  cites: { definitionHash: string; savedAs: { name: string; version: number } | null }[];
}

export interface ReportTemplateView {
  id: string;
  title: { ja: string; en: string };
  description: { ja: string; en: string };
  audience: string;
  eachSchool: boolean;
  parameters: {
    name: string;
    type: string;
    required: boolean;
    label: { ja: string; en: string };
    choices?: string[];
    default?: unknown;
  }[];
}

/** Compiles every chart spec of every template; the first broken one throws, naming its template and file. */
export async function checkReportTemplates(
  templates: ReportTemplate[],
  charts: ChartRenderer,
): Promise<ReportTemplate[]> {
  for (const template of templates) {
    for (const [file, spec] of Object.entries(template.specs)) {
      try {
        await charts.check(`${template.id}/${file}`, spec);
      } catch (error) {
        if (error instanceof ChartSpecError) throw new ReportTemplateError(template.id, error.message);
        throw error;
      }
    }
  }
  return templates;
}

/** A request the service refused (a parameter, a role, a school, a thing not there) is not a failed render. */
const isRefusal = (error: unknown) => error instanceof DomainError && statusOf(codeOf(error)) < 500;

/**
 * Report templates (reports/<id>/) rendered to PDF: figures from ReportDataService, charts to SVG on
 * the server, the page composed as HTML and printed by one Chromium kept alive for the process.
 */
@Injectable()
export class ReportsService implements OnModuleInit, OnModuleDestroy {
  private readonly templates = new Map<string, ReportTemplate>();
  private readonly charts = new ChartRenderer();
  private readonly printer: PdfPrinter;

  constructor(
    private readonly data: ReportDataService,
    private readonly audit: AuditService,
    private readonly telemetry: Telemetry,
    @Inject(SHIRUBE_CONFIG) config: ShirubeConfig,
  ) {
    this.printer = new PdfPrinter({ executablePath: config.chromePath });
  }

  /** A template whose manifest or chart spec is broken stops the start, naming it. */
  async onModuleInit(): Promise<void> {
    for (const template of await checkReportTemplates(loadReportTemplates(), this.charts))
      this.templates.set(template.id, template);
  }

  async onModuleDestroy(): Promise<void> {
    await this.printer.close();
  }

  get browserLaunched(): boolean {
    return this.printer.launched;
  }

  list(actor: Actor): ReportTemplateView[] {
    return [...this.templates.values()]
      .filter((t) => this.mayRender(actor, t))
      .map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        audience: t.audience,
        eachSchool: t.eachSchool,
        parameters: t.parameters.map(({ name, type, required, label, choices, default: d }) => ({
          name,
          type,
          required,
          label,
          ...(choices ? { choices } : {}),
          ...(d !== undefined ? { default: d } : {}),
        })),
      }));
  }

  template(actor: Actor, id: string): ReportTemplate {
    const template = this.templates.get(id);
    if (!template) throw notFound('report template', id);
    if (!this.mayRender(actor, template)) throw templateForbidden(`the ${actor.role} role may not render ${id}`);
    return template;
  }

  private mayRender(actor: Actor, template: ReportTemplate): boolean {
    return actor.role === 'cli' || template.roles.includes(actor.role);
  }

  /** One report as a PDF. A school renders only its own school's profile. Timed for the metrics, refusals apart. */
  async render(
    actor: Actor,
    id: string,
    rawParams: Record<string, unknown>,
    locale: Locale = 'ja',
  ): Promise<RenderedReport> {
    const template = this.template(actor, id);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const report = await this.renderTemplate(actor, template, rawParams, locale);
      this.telemetry.reportRendered(template.id, 'ok', seconds());
      return report;
    } catch (error) {
      if (!isRefusal(error)) this.telemetry.reportRendered(template.id, 'failed', seconds());
      throw error;
    }
  }

  private async renderTemplate(
    actor: Actor,
    template: ReportTemplate,
    rawParams: Record<string, unknown>,
    locale: Locale,
  ): Promise<RenderedReport> {
    const id = template.id;
    const params = { ...rawParams };
    const schoolParam = template.parameters.find((p) => p.type === 'school');
    if (actor.role === 'school') {
      if (!schoolParam) throw templateForbidden(`a school may not render ${id}`);
      params[schoolParam.name] ??= actor.schoolCode;
      if (params[schoolParam.name] !== actor.schoolCode)
        throw forbiddenSchool(
          String(params[schoolParam.name]),
          `a school may render only its own profile (${actor.schoolCode})`,
        );
    }
    const resolved = await this.data.resolveParams(template, params, locale);
    const data = await this.data.load(template, resolved, locale);

    // Charts and tables print words, not codes; the texts' placeholders read the codes.
    const shown = labelDatasets(data.datasets, locale);
    const charts: Record<string, string> = {};
    for (const section of template.sections) {
      if (section.kind === 'chart')
        charts[section.spec] = await this.charts.toSvg(
          `${template.id}/${section.spec}`,
          localizeSpec(template.specs[section.spec], locale),
          shown,
          { width: 460, height: 200 },
        );
    }
    const context: PlaceholderContext = {
      locale,
      values: resolved.context,
      datasets: data.datasets,
      keyColumn: (name) => {
        const first = data.datasets[name]?.[0];
        return first ? Object.keys(first)[0] : undefined;
      },
      schoolName: (code) => data.schoolNames.get(code),
      outcome: typeof resolved.values.outcome === 'string' ? resolved.values.outcome : undefined,
    };
    const school = schoolParam
      ? (resolved.context[schoolParam.name] as { code: string; name: string } | undefined)
      : undefined;
    const html = composeReportHtml({
      template,
      locale,
      shownParams: template.parameters
        .filter((p) => resolved.context[p.name] !== undefined)
        .map((p) => {
          const shown = resolved.context[p.name];
          const text =
            typeof shown === 'object' && shown !== null
              ? ((shown as { name?: string; title?: string; label?: string }).name ??
                (shown as { title?: string }).title ??
                (shown as { label?: string }).label ??
                textOf(shown))
              : textOf(shown);
          return {
            label: p.label[locale],
            value: p.type === 'academicYear' ? academicYearLabel(Number(shown), locale) : text,
          };
        }),
      context,
      tables: shown,
      charts,
      cohorts: data.cohorts,
      disclosure: data.disclosure.length ? mergeReports(data.disclosure) : null,
      asOf: data.asOf,
      generatedAt: new Date(),
      exactFor: template.audience === 'school' && school ? `${school.name}(${school.code})` : undefined,
    });
    const footer = `${template.title[locale]} ・ ${locale === 'ja' ? 'データ基準日' : 'Data as of'} ${data.asOf ? dateLabel(data.asOf, locale) : '—'}`;
    let pdf: Buffer;
    try {
      pdf = await this.printer.print(html, { title: template.title[locale], footerLeft: footer });
    } catch (error) {
      if (error instanceof ChromiumUnavailableError) throw printerUnavailable(error.message);
      throw error;
    }
    const cites = Object.values(data.cohorts).map((c) => ({ definitionHash: c.definitionHash, savedAs: c.savedAs }));
    await this.audit.record({
      action: 'report.render',
      targetType: 'report',
      targetId: template.id,
      after: { params: resolved.values, locale, cites, bytes: pdf.length },
    });
    const suffix = Object.values(resolved.values)
      .map((v) => (Array.isArray(v) ? v.join('-') : String(v)))
      .join('_');
    return { pdf, filename: `${template.id}${suffix ? `_${suffix}` : ''}.pdf`.replace(/[^A-Za-z0-9._-]/g, '-'), cites };
  }

  /** The schools an "every school" batch renders for. */
  async schoolCodes(): Promise<string[]> {
    return (await this.data.schools()).map((s) => s.school_code);
  }

  /** Renders a per-school template for each school, `concurrency` at a time; `onEach` gets each PDF as it is done. */
  async renderEachSchool(
    actor: Actor,
    id: string,
    rawParams: Record<string, unknown>,
    onEach: (school: string, report: RenderedReport | null, error: Error | null) => Promise<void> | void,
    options: { locale?: Locale; concurrency?: number; schools?: string[] } = {},
  ): Promise<void> {
    const template = this.template(actor, id);
    const schoolParam = template.parameters.find((p) => p.type === 'school');
    if (!template.eachSchool || !schoolParam)
      throw invalidField('eachSchool', `${id} has no school parameter`, `${id} is not rendered per school`);
    if (rawParams[schoolParam.name] !== undefined)
      throw invalidField(
        `params.${schoolParam.name}`,
        'is set for each school',
        `give no ${schoolParam.name} for every school`,
      );
    // Check the other parameters once, before any school is rendered.
    const schools = options.schools ?? (await this.schoolCodes());
    if (schools.length > 0)
      await this.data.resolveParams(template, { ...rawParams, [schoolParam.name]: schools[0] }, options.locale ?? 'ja');
    let next = 0;
    const worker = async () => {
      while (next < schools.length) {
        const school = schools[next++];
        try {
          const report = await this.render(actor, id, { ...rawParams, [schoolParam.name]: school }, options.locale);
          await onEach(school, report, null);
        } catch (error) {
          await onEach(school, null, error as Error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, schools.length)) }, worker));
  }
}
