import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { isValidSchoolCode } from './school-code.js';

/** A school code in a URL must be a valid MEXT code; a bad one is a 400 naming the parameter. */
@Injectable()
export class SchoolCodeParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isValidSchoolCode(value)) {
      const message = `${value} is not a valid MEXT school code`;
      throw new DomainError('VALIDATION_FAILED', message, { fields: [{ field: 'schoolCode', messages: [message] }] });
    }
    return value;
  }
}
