/**
 * GitHub's OpenAPI description (@octokit/openapi) for the API stand-in: response examples to
 * build answers from, and a validator for the subset of JSON Schema the description uses
 * ($ref, allOf/anyOf/oneOf, nullable, type, enum, required, properties, items), so that every
 * answer the stand-in gives can be checked against the real API's shapes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = Record<string, any>;

let spec: Schema | undefined;

export function openapi(): Schema {
  if (!spec) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(file, 'utf8')) as Schema;
  }
  return spec;
}

function resolveRef(node: Schema): Schema {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const parts = (current.$ref as string).replace(/^#\//, '').split('/');
    current = parts.reduce<Schema>(
      (value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      openapi(),
    );
    if (!current) throw new Error(`unresolvable $ref ${node.$ref}`);
  }
  return current;
}

function response(route: string, method: string, status: number): Schema {
  const operation = openapi().paths[route]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the OpenAPI description has no ${method} ${route}`);
  const answer = operation.responses[String(status)];
  if (!answer) throw new Error(`${method} ${route} never answers ${status} in the OpenAPI description`);
  return resolveRef(answer);
}

/** The JSON schema of a response body (undefined for bodiless responses such as 302). */
export function responseSchema(route: string, method: string, status: number): Schema | undefined {
  return response(route, method, status).content?.['application/json']?.schema;
}

/** A deep copy of the description's example body of a response. */
export function responseExample(route: string, method: string, status: number): any {
  const examples = response(route, method, status).content?.['application/json']?.examples;
  const example = examples?.default ?? Object.values(examples ?? {})[0];
  if (!example) throw new Error(`no example for ${method} ${route} ${status}`);
  return structuredClone(resolveRef(example as Schema).value);
}

/** A deep copy of a named example (components/examples). */
export function namedExample(name: string): any {
  return structuredClone(resolveRef({ $ref: `#/components/examples/${name}` }).value);
}

const typeOf = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value;

/** Problems of `value` against `schema`, as "path: message" lines (empty when valid). */
export function validateAgainst(schemaNode: Schema, value: unknown, path = '$'): string[] {
  const schema = resolveRef(schemaNode);
  if (value === null)
    return schema.nullable || schema.type === 'null' || schema.type === undefined
      ? []
      : [`${path}: null is not allowed`];
  const errors: string[] = [];
  if (schema.allOf) for (const part of schema.allOf) errors.push(...validateAgainst(part, value, path));
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (!schema[key]) continue;
    const fits = (schema[key] as Schema[]).some((part) => validateAgainst(part, value, path).length === 0);
    if (!fits) errors.push(`${path}: matches none of ${key}`);
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  const actual = typeOf(value);
  const expected = schema.type as string | undefined;
  if (expected && !(expected === actual || (expected === 'number' && actual === 'integer'))) {
    errors.push(`${path}: expected ${expected}, got ${actual}`);
    return errors;
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (!(key in object)) errors.push(`${path}: missing required ${key}`);
    for (const [key, child] of Object.entries(schema.properties ?? {}))
      if (key in object) errors.push(...validateAgainst(child as Schema, object[key], `${path}.${key}`));
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((item, index) =>
      errors.push(...validateAgainst(schema.items, item, `${path}[${index}]`)),
    );
  return errors;
}

/** Validate a response body against the description of route/method/status. */
export function validateResponse(route: string, method: string, status: number, body: unknown): string[] {
  const schema = responseSchema(route, method, status);
  if (!schema) return body === undefined ? [] : [`${method} ${route} ${status}: the description has no body`];
  return validateAgainst(schema, body).map((line) => `${method} ${route} ${status}: ${line}`);
}
