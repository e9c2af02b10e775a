/**
 * A value of unknown type as text, for logs, pages and keys: null and undefined as '', a plain object
 * as JSON (never "[object Object]"), an array as its elements joined by commas (as String() joins them),
 * and anything else as String() writes it (strings, numbers, booleans, bigints, dates).
 */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name}]`;
    default:
      if (value === null) return '';
      if (Array.isArray(value)) return value.map(textOf).join(',');
      if (value instanceof Date) return value.toString();
      return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}
