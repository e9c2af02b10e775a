import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { notFound } from '../common/common.errors.js';
import { SurveyTemplateSummaryView, SurveyTemplateView, TemplateQuery } from './dto/survey-template.view.js';
import { loadTemplate, surveyFromTemplate, templateCoverage, templateNames } from './survey-templates.js';

/** The national forms and other shipped templates (survey-templates/), for the survey builder. */
@ApiTags('surveys')
@ApiBearerAuth()
@Roles('board_admin')
@Controller('api/survey-templates')
export class SurveyTemplatesController {
  @Get()
  @ApiOperation({ summary: 'The survey templates shipped, with how many numeric cells data answers' })
  @ApiResponse({ status: 200, type: [SurveyTemplateSummaryView] })
  list(): SurveyTemplateSummaryView[] {
    return templateNames().map((name) => {
      const template = loadTemplate(name)!;
      return {
        name,
        title: template.title,
        source: template.source,
        targets: template.targets,
        overall: templateCoverage(template).overall,
      };
    });
  }

  @Get(':name')
  @ApiOperation({
    summary:
      'A template for a school year: coverage per section, the questions left to judgement with the reason, and the body of POST /api/surveys',
  })
  @ApiResponse({ status: 200, type: SurveyTemplateView })
  @ApiErrors('NOT_FOUND')
  get(@Param('name') name: string, @Query() query: TemplateQuery): SurveyTemplateView {
    const template = loadTemplate(name);
    if (!template) throw notFound('survey template', name);
    const { sections, overall, judgement } = templateCoverage(template);
    return {
      name,
      title: template.title,
      source: template.source,
      sections,
      overall,
      judgement,
      survey: surveyFromTemplate(template, { academicYear: query.academicYear }),
    };
  }
}
