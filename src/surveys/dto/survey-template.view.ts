/** The shapes of /api/survey-templates, for OpenAPI (each implements what the code returns). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { schemaProperty } from '../../common/api-schema.js';
import { LocalizedView } from '../../common/localized.view.js';
import type { SectionCoverage, SurveyTemplate, TemplateCoverage } from '../survey-templates.js';
import { CreateSurveyDto } from './create-survey.dto.js';
import { TARGETS_SCHEMA } from './survey.view.js';

type SourceOfTemplate = SurveyTemplate['source'];

export class TemplateQuery {
  @ApiProperty({ example: 2025, description: '年度 the survey asks about (2025 = April 2025 – March 2026)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  academicYear: number;
}

export class TemplateSourceView implements SourceOfTemplate {
  @ApiProperty({ example: '児童生徒の問題行動・不登校等生徒指導上の諸課題に関する調査(小学校用)' }) ja: string;
  @ApiProperty() en: string;
  @ApiProperty({ example: '文部科学省' }) publisher: string;
  @ApiPropertyOptional() url?: string;
  @ApiProperty({ description: 'How the items were checked against the current edition' }) edition: string;
}

export class CellCountView {
  @ApiProperty({ description: 'Numeric cells answered from data' }) bound: number;
  @ApiProperty({ description: 'All numeric cells' }) total: number;
  @ApiProperty({ description: 'bound / total (0–1)' }) ratio: number;
}

export class SectionCoverageView extends CellCountView implements SectionCoverage {
  @ApiProperty({ example: 'long_term_absence' }) code: string;
  @ApiProperty({ type: LocalizedView }) title: { ja: string; en: string };
}

export class JudgementView {
  @ApiProperty({ description: 'Question code' }) question: string;
  @ApiProperty() section: string;
  @ApiProperty({ description: 'Numeric cells the school answers' }) cells: number;
  @ApiProperty({ type: LocalizedView, description: 'Why no data answers them' }) reason: { ja: string; en: string };
}

export class SurveyTemplateSummaryView {
  @ApiProperty({ example: 'mext-seito-shido-elementary' }) name: string;
  @ApiProperty({ type: LocalizedView }) title: { ja: string; en: string };
  @ApiProperty({ type: TemplateSourceView }) source: SurveyTemplate['source'];
  @ApiProperty(schemaProperty(TARGETS_SCHEMA)) targets: SurveyTemplate['targets'];
  @ApiProperty({ type: CellCountView }) overall: CellCountView;
}

export class SurveyTemplateView implements Omit<TemplateCoverage, 'template' | 'title'> {
  @ApiProperty({ example: 'mext-seito-shido-elementary' }) name: string;
  @ApiProperty({ type: LocalizedView }) title: { ja: string; en: string };
  @ApiProperty({ type: TemplateSourceView }) source: SurveyTemplate['source'];
  @ApiProperty({ type: [SectionCoverageView] }) sections: SectionCoverageView[];
  @ApiProperty({ type: CellCountView }) overall: CellCountView;
  @ApiProperty({ type: [JudgementView] }) judgement: JudgementView[];
  @ApiProperty({ type: CreateSurveyDto, description: 'The body of POST /api/surveys for that school year' })
  survey: object;
}
