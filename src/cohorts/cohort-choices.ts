import { Inject, Injectable } from '@nestjs/common';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';

const SQL = { choices: sqlFile('cohorts/form-choices') };

/** What a cohort definition can name, as the warehouse holds it now (for the cohort page's form). */
export interface CohortChoices {
  years: number[];
  programmes: { id: string; name: string }[];
  schools: { code: string; name: string; type: string }[];
}

@Injectable()
export class CohortChoicesService {
  constructor(@Inject(Warehouse) private readonly warehouse: Warehouse) {}

  async choices(): Promise<CohortChoices> {
    const rows = await this.warehouse.all<{ kind: string; value: string; name: string | null; school_type: string }>(
      SQL.choices,
    );
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    return {
      years: of('year').map((r) => Number(r.value)),
      programmes: of('programme').map((r) => ({ id: r.value, name: r.name ?? r.value })),
      schools: of('school').map((r) => ({ code: r.value, name: r.name ?? r.value, type: r.school_type })),
    };
  }
}
