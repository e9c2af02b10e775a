import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../common/page.dto.js';

export class SchoolListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'B108291000011', description: 'Only this school (a school user: its own only)' })
  @IsOptional()
  @Matches(/^[A-Z][0-9]{12}$|^ORG-[0-9a-f]{12}$/, { message: 'school must be a 13-character school code' })
  school?: string;
}

export class SchoolView {
  @ApiProperty({ description: 'MEXT 13-character school code (学校コード)' }) schoolCode: string;
  @ApiProperty() name: string;
  @ApiProperty({
    enum: ['kindergarten', 'elementary', 'junior_high', 'compulsory', 'high', 'secondary', 'special_needs', 'other'],
  })
  schoolType: string;
  @ApiProperty() prefectureCode: string;
  @ApiPropertyOptional({ type: String, nullable: true }) municipality: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) latestAcademicYear: number | null;
}

export class GradeEnrolmentView {
  @ApiProperty() academicYear: number;
  @ApiProperty({ example: 'P1' }) grade: string;
  @ApiProperty() students: number;
  @ApiProperty() specialNeedsStudents: number;
}

export class SchoolDetailView extends SchoolView {
  @ApiProperty({
    type: [GradeEnrolmentView],
    description: 'Exact counts: an administrative view for the board and the school itself.',
  })
  enrolment: GradeEnrolmentView[];
}
