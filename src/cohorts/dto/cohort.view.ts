/** What the cohort endpoints answer with, for OpenAPI; each class implements the service's type. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { schemaProperty } from '../../common/api-schema.js';
import { LocalizedView } from '../../common/localized.view.js';
import type { DisclosureReport, DisclosureSettings } from '../../disclosure/disclosure.types.js';
import type { CohortDefinition } from '../cohort-definition.js';
import type { AttritionStep, CohortResult, ResultTable } from '../cohort-result.js';
import type { SavedCohortView as SavedCohort } from '../cohorts.service.js';

const DEFINITION = schemaProperty({ $ref: '#/components/schemas/CohortDefinition' });

export class SavedCohortView implements SavedCohort {
  @ApiProperty({ example: 'support-room-attendance' }) name: string;
  @ApiProperty() version: number;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ description: 'SHA-256 of the canonical definition' }) definitionHash: string;
  @ApiProperty(DEFINITION) definition: CohortDefinition;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

class AttritionStepView implements AttritionStep {
  @ApiProperty() step: string;
  @ApiProperty({ type: LocalizedView }) label: LocalizedView;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Rounded; null when redacted' })
  students: number | null;
  @ApiProperty() schools: number;
}

class ResultTableView implements ResultTable {
  @ApiProperty({ type: [String], description: 'Column names in order (the CSV header, the Arrow schema)' })
  columns: string[];
  @ApiProperty(
    schemaProperty({
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
      description: 'Rows after disclosure control: a redacted cell is null',
    }),
  )
  rows: ResultTable['rows'];
}

class DisclosureSettingsView implements DisclosureSettings {
  @ApiProperty() maxRedactedCount: number;
  @ApiProperty() rounding: number;
  @ApiProperty() minSchools: number;
}

class DisclosureReportView implements DisclosureReport {
  @ApiProperty({ type: DisclosureSettingsView }) settings: DisclosureSettingsView;
  @ApiProperty({ type: [String], description: 'What was applied, in English' }) rules: string[];
  @ApiProperty({ type: [String], description: 'What was applied, in Japanese' }) rulesJa: string[];
  @ApiProperty() cellsRedacted: number;
  @ApiProperty() primaryRedacted: number;
  @ApiProperty() secondaryRedacted: number;
  @ApiProperty() areaRowsRedacted: number;
  @ApiPropertyOptional() areaCellsRedacted?: number;
  @ApiPropertyOptional() rateRedacted?: number;
}

class SavedAsView {
  @ApiProperty() name: string;
  @ApiProperty() version: number;
}

export class CohortResultView implements CohortResult {
  @ApiProperty(DEFINITION) definition: CohortDefinition;
  @ApiProperty({ description: 'SHA-256 of the canonical definition: what reports cite and the audit log records' })
  definitionHash: string;
  @ApiPropertyOptional({ type: SavedAsView, nullable: true }) savedAs: SavedAsView | null;
  @ApiProperty({ enum: ['descriptive', 'did_2x2', 'did_staggered', 'funnel', 'value_added', 'case_before_after'] })
  method: string;
  @ApiProperty({ format: 'date-time' }) ranAt: string;
  @ApiProperty({ type: [AttritionStepView], description: 'Students left after each inclusion rule' })
  attrition: AttritionStepView[];
  @ApiProperty({ description: 'The table CSV and Arrow output carry unless ?table= names another' })
  primaryTable: string;
  @ApiProperty(
    schemaProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ResultTableView' } }),
  )
  tables: Record<string, ResultTableView>;
  @ApiProperty(
    schemaProperty({ type: 'object', additionalProperties: true, description: 'Method figures outside the tables' }),
  )
  summary: Record<string, unknown>;
  @ApiProperty({ type: DisclosureReportView }) disclosure: DisclosureReportView;
}

/** Named so CohortResultView's `tables` can point at it. */
export const COHORT_EXTRA_MODELS = [ResultTableView];
