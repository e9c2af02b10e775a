import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
