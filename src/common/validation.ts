import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { assertBodyShape } from './body-shape.js';
import { FieldProblem } from './domain-error.js';
import { invalidFields } from './common.errors.js';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** A body or query too deep to walk, or holding a NUL character, is refused before the validator walks it. */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') assertBodyShape(value);
    return super.transform(value, metadata);
  }
}

/** Validates every body at the edge: unknown fields are rejected, and the 400 names each bad field. */
export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return invalidFields(fields);
    },
  });
}
