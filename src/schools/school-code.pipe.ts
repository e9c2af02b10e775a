import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../common/common.errors.js';
import { isValidSchoolCode } from './school-code.js';

/** A school code in a URL must be a valid MEXT code; a bad one is a 400 naming the parameter. */
@Injectable()
export class SchoolCodeParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isValidSchoolCode(value)) {
      const message = `${value} is not a valid MEXT school code`;
      throw invalidField('schoolCode', message, message);
    }
    return value;
  }
}
