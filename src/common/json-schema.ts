/**
 * A small JSON Schema subset (type, enum, const, minimum/maximum, min/maxItems, uniqueItems, properties,
 * required, additionalProperties: false, items, oneOf by a discriminator) and its validator. The cohort
 * definition is declared once in it: the same object is published in OpenAPI and checked here, so the
 * documentation and the 400s cannot drift apart.
 */
import type { FieldProblem } from './domain-error.js';

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  enum?: readonly (string | number)[];
  const?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: false;
  /** One of several object shapes, told apart by the `const` of `discriminator.propertyName`. */
  oneOf?: readonly JsonSchema[];
  discriminator?: { propertyName: string };
  default?: unknown;
  examples?: unknown[];
}

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every problem of `value` against `schema`, each naming the field by its path (`population.grades[2]`). */
export function validateJson(schema: JsonSchema, value: unknown, path = ''): FieldProblem[] {
  const at = path || '(body)';
  const problem = (message: string): FieldProblem[] => [{ field: at, messages: [message] }];
  if (schema.oneOf && schema.discriminator) {
    const key = schema.discriminator.propertyName;
    if (typeOf(value) !== 'object') return problem(`must be an object, got ${typeOf(value)}`);
    const tag = (value as Record<string, unknown>)[key];
    // Each shape names its tag as a one-value enum (OpenAPI 3.0 has no `const`).
    const tagOf = (s: JsonSchema) => s.properties?.[key]?.enum?.[0] ?? s.properties?.[key]?.const;
    const options = schema.oneOf.map(tagOf).filter((c): c is string => typeof c === 'string');
    const chosen = schema.oneOf.find((s) => tagOf(s) === tag);
    if (!chosen) {
      return [
        {
          field: path ? `${path}.${key}` : key,
          messages: [`must be one of ${options.join(', ')}, got ${JSON.stringify(tag ?? null)}`],
        },
      ];
    }
    return validateJson(chosen, value, path);
  }
  switch (schema.type) {
    case 'object': {
      if (typeOf(value) !== 'object') return problem(`must be an object, got ${typeOf(value)}`);
      const record = value as Record<string, unknown>;
      const problems: FieldProblem[] = [];
      const child = (key: string) => (path ? `${path}.${key}` : key);
      for (const key of Object.keys(record)) {
        if (!schema.properties?.[key] && schema.additionalProperties === false)
          problems.push({ field: child(key), messages: ['is not a known field'] });
      }
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) problems.push({ field: child(key), messages: ['is required'] });
      }
      for (const [key, inner] of Object.entries(schema.properties ?? {})) {
        if (record[key] !== undefined) problems.push(...validateJson(inner, record[key], child(key)));
      }
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return problem(`must be an array, got ${typeOf(value)}`);
      if (schema.minItems !== undefined && value.length < schema.minItems)
        return problem(`must have at least ${schema.minItems} item(s)`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return problem(`must have at most ${schema.maxItems} item(s)`);
      if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
        return problem('must not repeat an item');
      return schema.items ? value.flatMap((item, i) => validateJson(schema.items!, item, `${path}[${i}]`)) : [];
    }
    case 'string':
      if (typeof value !== 'string') return problem(`must be a string, got ${typeOf(value)}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return problem(`must have at least ${schema.minLength} character(s)`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return problem(`must have at most ${schema.maxLength} characters`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return problem(`must match ${schema.pattern}`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return problem(`must be a ${schema.type}, got ${typeOf(value)}`);
      if (schema.type === 'integer' && !Number.isInteger(value)) return problem(`must be a whole number, got ${value}`);
      if (schema.minimum !== undefined && value < schema.minimum)
        return problem(`must be at least ${schema.minimum}, got ${value}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        return problem(`must be at most ${schema.maximum}, got ${value}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return problem(`must be true or false, got ${typeOf(value)}`);
      break;
  }
  if (schema.const !== undefined && value !== schema.const) return problem(`must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as string | number))
    return problem(`must be one of ${schema.enum.join(', ')}, got ${JSON.stringify(value)}`);
  return [];
}
