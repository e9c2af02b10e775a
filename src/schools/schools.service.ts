import { listValue } from '@duckdb/node-api';
import { Inject, Injectable } from '@nestjs/common';
import { assertSchoolAccess, schoolFilter } from '../auth/school-scope.js';
import { notFound } from '../common/common.errors.js';
import { pageOf, type Page, type PageRequest } from '../common/page.js';
import type { Actor } from '../common/request-context.js';
import { sqlFile } from '../warehouse/sql-files.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { SchoolDetailView, SchoolView } from './school.view.js';

const LIST_SQL = sqlFile('schools/list');
const COUNT_SQL = sqlFile('schools/count');
const ENROLMENT_SQL = sqlFile('schools/enrolment-summary');

interface SchoolRow {
  school_code: string;
  name: string;
  school_type: string;
  prefecture_code: string;
  municipality: string | null;
  latest_year: number | null;
}

function codesParam(codes: string[] | undefined) {
  return codes ? listValue(codes) : null;
}

function toView(row: SchoolRow): SchoolView {
  return {
    schoolCode: row.school_code,
    name: row.name,
    schoolType: row.school_type,
    prefectureCode: row.prefecture_code,
    municipality: row.municipality,
    latestAcademicYear: row.latest_year,
  };
}

/** The schools of the board, as the warehouse knows them. A school user sees its own school only. */
@Injectable()
export class SchoolsService {
  constructor(@Inject(Warehouse) private readonly warehouse: Warehouse) {}

  /** A page of the schools the actor may see, or only `school` (the guard checked a school user named its own). */
  async list(actor: Actor, page: PageRequest, school?: string): Promise<Page<SchoolView>> {
    if (school) assertSchoolAccess(actor, school);
    const codes = codesParam(school ? [school] : schoolFilter(actor));
    const rows = await this.warehouse.all<SchoolRow & Record<string, unknown>>(LIST_SQL, [
      codes,
      page.limit,
      page.offset,
    ]);
    const [{ total }] = await this.warehouse.all<{ total: number }>(COUNT_SQL, [codes]);
    return pageOf(rows.map(toView), total, page);
  }

  async get(actor: Actor, schoolCode: string): Promise<SchoolDetailView> {
    assertSchoolAccess(actor, schoolCode);
    const [row] = await this.warehouse.all<SchoolRow & Record<string, unknown>>(LIST_SQL, [
      codesParam([schoolCode]),
      1,
      0,
    ]);
    if (!row) throw notFound('school', schoolCode);
    const enrolment = await this.warehouse.all<{
      academic_year: number;
      grade: string;
      students: number;
      special_needs_students: number;
    }>(ENROLMENT_SQL, [schoolCode]);
    return {
      ...toView(row),
      enrolment: enrolment.map((e) => ({
        academicYear: e.academic_year,
        grade: e.grade,
        students: e.students,
        specialNeedsStudents: e.special_needs_students,
      })),
    };
  }
}
