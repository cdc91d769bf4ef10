/**
 * A small structural schema, the subset of a CRD's openAPIV3Schema that meshgate checks a user's
 * data-plane object against before anything starts: types, known fields (server-side apply
 * refuses a field the schema does not declare), enums, lengths, required fields. Properties and
 * enum values carry the first version that has them (`since`, a version ordinal of the mesh), so
 * one table covers the versions a profile may pin.
 */

type Since = { since?: number };
export type FieldSchema = Since &
  (
    | { type: 'object'; properties?: Record<string, FieldSchema>; values?: FieldSchema; required?: string[]; maxProperties?: number; preserveUnknown?: boolean }
    | { type: 'array'; items: FieldSchema; maxItems?: number }
    | { type: 'string'; enum?: (string | { value: string; since: number })[]; pattern?: RegExp; minLength?: number; maxLength?: number }
    | { type: 'integer'; minimum?: number; maximum?: number }
    | { type: 'boolean' }
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typeName = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Problems of `value` against `schema` at `version`, each as "path: message" in the API server's words. */
export function schemaProblems(value: unknown, schema: FieldSchema, path: string, version: number): string[] {
  switch (schema.type) {
    case 'object': {
      if (!isObject(value)) return [`${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type object`];
      if (schema.preserveUnknown) return [];
      const problems: string[] = [];
      for (const name of schema.required ?? [])
        if (value[name] === undefined) problems.push(`${path}.${name}: Required value`);
      if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties)
        problems.push(`${path}: Too many: ${Object.keys(value).length}: must have at most ${schema.maxProperties} items`);
      for (const [name, child] of Object.entries(value)) {
        const field = schema.properties?.[name] ?? schema.values;
        if (!field || (field.since !== undefined && version < field.since)) {
          problems.push(`${path}.${name}: field not declared in schema`);
          continue;
        }
        problems.push(...schemaProblems(child, field, `${path}.${name}`, version));
      }
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type array`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return [`${path}: Too many: ${value.length}: must have at most ${schema.maxItems} items`];
      return value.flatMap((item, i) => schemaProblems(item, schema.items, `${path}[${i}]`, version));
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type string`];
      if (schema.enum) {
        const allowed = schema.enum
          .filter((entry) => typeof entry === 'string' || version >= entry.since)
          .map((entry) => (typeof entry === 'string' ? entry : entry.value));
        if (!allowed.includes(value))
          return [`${path}: Unsupported value: "${value}": supported values: ${allowed.map((v) => `"${v}"`).join(', ')}`];
      }
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return [`${path}: Invalid value: "${value}": ${path} in body should be at least ${schema.minLength} chars long`];
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return [`${path}: Too long: may not be more than ${schema.maxLength} bytes`];
      if (schema.pattern && !schema.pattern.test(value))
        return [`${path}: Invalid value: "${value}": ${path} in body should match '${schema.pattern.source}'`];
      return [];
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [`${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type integer`];
      if ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))
        return [`${path}: Invalid value: ${value}: ${path} in body should be between ${schema.minimum} and ${schema.maximum}`];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type boolean`];
  }
}

/** Shorthands for the tables. */
export const str = (extra: Omit<Extract<FieldSchema, { type: 'string' }>, 'type'> = {}): FieldSchema => ({ type: 'string', ...extra });
export const int = (extra: Omit<Extract<FieldSchema, { type: 'integer' }>, 'type'> = {}): FieldSchema => ({ type: 'integer', ...extra });
export const obj = (properties: Record<string, FieldSchema>, extra: Omit<Extract<FieldSchema, { type: 'object' }>, 'type' | 'properties'> = {}): FieldSchema => ({
  type: 'object',
  properties,
  ...extra,
});
export const arr = (items: FieldSchema, extra: Omit<Extract<FieldSchema, { type: 'array' }>, 'type' | 'items'> = {}): FieldSchema => ({ type: 'array', items, ...extra });
export const stringMap = (extra: Omit<Extract<FieldSchema, { type: 'object' }>, 'type' | 'values'> = {}): FieldSchema => ({ type: 'object', values: str(), ...extra });
