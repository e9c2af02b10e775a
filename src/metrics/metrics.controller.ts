import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { Actor } from '../common/request-context.js';
import { MetricValuesQuery, MetricValueView, MetricView } from './dto/metric.dto.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({ summary: 'The metric catalogue: what stored data can answer, with each metric’s contract' })
  @ApiResponse({ status: 200, type: [MetricView] })
  list(): MetricView[] {
    return this.metrics.list().map((metric) => MetricView.of(metric));
  }

  @Get(':id/values')
  @Roles('board_admin', 'school')
  @ApiOperation({
    summary: 'Exact values of a metric per school (administrative view: the board, or a school for its own rows)',
  })
  @ApiResponse({ status: 200, type: [MetricValueView] })
  values(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() query: MetricValuesQuery,
  ): Promise<MetricValueView[]> {
    return this.metrics.valuesFor(actor, id, {
      academicYear: query.academicYear,
      schools: query.school ? [query.school] : undefined,
    });
  }
}
