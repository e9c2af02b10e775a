import type { ApiPropertyOptions, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * A property given as a plain OpenAPI schema (a union, a map, a shape shared by several views):
 * ApiProperty's options type is stricter than the schemas it accepts.
 */
export const schemaProperty = (schema: SchemaObject | ReferenceObject): ApiPropertyOptions =>
  schema as ApiPropertyOptions;

/** The content of a response given as a file of this media type (a PDF, a zip, an Arrow stream). */
export const binaryContent = (mediaType: string) => ({ [mediaType]: { schema: { type: 'string', format: 'binary' } } });

/** The content of a response given as text of this media type (CSV). */
export const textContent = (mediaType: string) => ({ [mediaType]: { schema: { type: 'string' } } });
