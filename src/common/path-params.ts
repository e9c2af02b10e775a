import { Param, ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { invalidField } from './common.errors.js';

/**
 * Path parameters checked at the edge: a bad one is a 400 VALIDATION_FAILED naming it, like a bad
 * body field (Nest's own pipes would answer a bare 400 without the field).
 */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => invalidField(name, 'must be a UUID', `${name} must be a UUID`),
    }),
  );

/** A positive whole number in the path (a version). */
export const PositiveIntParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseIntPipe({
      exceptionFactory: () =>
        invalidField(name, 'must be a whole number of 1 or more', `${name} must be a whole number of 1 or more`),
    }),
    {
      transform: (value: number) => {
        if (value < 1)
          throw invalidField(
            name,
            'must be a whole number of 1 or more',
            `${name} must be a whole number of 1 or more`,
          );
        return value;
      },
    },
  );
