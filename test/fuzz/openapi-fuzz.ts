import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { DEMO_IDS } from '../../db/seed/demo.ts';
import { SESSION_COOKIE, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/plugins/auth.ts';

/*
 * A fuzzer driven by the OpenAPI document the app serves (issue 16). For every operation of the
 * document, fast-check generates requests: path parameters taken from the ids the app has answered
 * so far (the demo's and the fuzzer's own writes), in upper case, random or not ids at all; query
 * parameters and JSON bodies from the operation's schemas, valid shapes with edge values and
 * mutated ones (wrong types, missing and extra fields, deep nesting, huge arrays); raw bodies that
 * are not JSON, not UTF-8, or declared in another charset; If-Match, Authorization and cookie
 * headers of every kind. Each is sent with `app.inject` as one of several signed-in identities (or
 * none), and every answer must be below 500, and problem+json when it is an error.
 *
 * Generated values are plans, not requests: an id is "the n-th id of that collection answered so
 * far", resolved when the request is sent, so that a seed replays the same run (requests are sent
 * one after the other) while the fuzzer reaches the rows it created itself.
 */

// ---------------------------------------------------------------------------------------------
// The document

/** The part of JSON Schema that zod's OpenAPI output uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One operation of the document, as the fuzzer uses it. */
export interface Operation {
  method: string;
  /** The OpenAPI path, `/api/plans/{planId}/goals/{itemId}`. */
  path: string;
  pathParams: string[];
  /** The schema of each path parameter, by name. */
  pathSchemas: Record<string, JsonSchema>;
  query: Parameter[];
  body: JsonSchema | null;
}

/** The operations of the app's OpenAPI document (`app.swagger()`, after `ready`). */
export function operationsOf(app: FastifyInstance): { operations: Operation[]; document: Document } {
  const document = app.swagger() as unknown as Document;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item)) {
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''),
        pathSchemas: Object.fromEntries(
          parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema]),
        ),
        query: parameters.filter((p) => p.in === 'query'),
        body: operation.requestBody?.content['application/json']?.schema ?? null,
      });
    }
  return { operations, document };
}

// ---------------------------------------------------------------------------------------------
// Values: edge strings, numbers, formats

/** Strings a text field should survive: Unicode of every kind, and what PostgreSQL refuses. */
export const EDGE_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '😀'.repeat(50),
  'مرحبا بالعالم',
  'שלום\u202Eabc\u202C',
  'e\u0301\u0301\u0301\u0301\u0301',
  'Z̷̢̛̙͓a̶̧̰l̵̢̛g̶o̸',
  '\u200B\u200C\u200D\uFEFF',
  '\uFFFD\uFFFE\uFFFF',
  '\u{10FFFF}',
  '\u0085\u2028\u2029',
  "' OR 1=1 --",
  '"; DROP TABLE plans; --',
  '%00',
  '%',
  '%E0%A4%A',
  '\\u0000',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  'de000000-0000-4000-8000-000000000401',
  'DE000000-0000-4000-8000-000000000401',
  'lea.lead@demo.example',
  'Ĳsselmeer Ærø Œuvre ß İ ı',
  'Ⅻ ① ﬁ Å Å',
];

/** A long string of `length` UTF-16 units made of one repeated character (possibly 2 units long). */
function longString(length: number, unit: string): string {
  return unit.repeat(Math.max(0, Math.ceil(length / unit.length))).slice(0, length);
}

const LONG_UNITS = ['a', 'é', '😀', 'ا', 'e\u0301', '\u0000', ' '];

/** Clean Unicode text a valid request may carry: every script, emoji, combining marks, RTL. */
const VALID_EDGES = EDGE_STRINGS.filter((text) => !text.includes('\u0000') && !/\p{Cs}/u.test(text));

/**
 * Text for a field: `strict`, valid text within the field's limits (random graphemes, clean edge
 * strings, exactly the longest allowed); otherwise also what must be refused (NUL, lone
 * surrogates, one past the limit, 100,000 characters).
 */
function textArbitrary(minLength = 0, maxLength = 10_000, strict = false): fc.Arbitrary<string> {
  if (strict) {
    const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
    const graphemes = Math.max(minLength, Math.min(30, Math.floor(maxLength / 8)));
    const edges = VALID_EDGES.filter(fits);
    return fc.oneof(
      { weight: 6, arbitrary: fc.string({ minLength, maxLength: graphemes, unit: 'grapheme' }).filter(fits) },
      ...(edges.length ? [{ weight: 2, arbitrary: fc.constantFrom(...edges) }] : []),
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('a', 'é', 'ا', 'ж')
          .map((unit) => longString(Math.max(minLength, maxLength), unit)),
      },
    );
  }
  const lengths = [...new Set([minLength, Math.max(0, minLength - 1), maxLength, maxLength + 1])];
  return fc.oneof(
    { weight: 5, arbitrary: fc.string({ minLength, maxLength: Math.min(maxLength, 30), unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme-ascii' }) },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...lengths, 100_000), fc.constantFrom(...LONG_UNITS))
        .map(([length, unit]) => longString(length, unit)),
    },
  );
}

/** Numbers at and beyond a field's limits. */
function numberArbitrary(schema: JsonSchema, integer: boolean, strict: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -(2 ** 31);
  const max = schema.maximum ?? 2 ** 31;
  if (strict) return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
  return fc.oneof(
    { weight: 4, arbitrary: integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        min,
        max,
        min - 1,
        max + 1,
        0,
        -0,
        -1,
        0.5,
        1.5,
        2 ** 31,
        -(2 ** 31) - 1,
        2 ** 53,
        Number.MAX_SAFE_INTEGER + 2,
        1e308,
        -1e308,
        5e-324,
      ),
    },
  );
}

const UUID_EDGES = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'de000000-0000-4000-8000-000000000401 ',
  '{de000000-0000-4000-8000-000000000401}',
  'de0000000000400080000000000000401',
  'de000000-0000-4000-8000-00000000040',
  'de000000-0000-4000-8000-0000000004011',
  'de000000-0000-0000-0000-000000000401',
  'de000000-0000-4000-c000-000000000401',
  'de000000-0000-9000-8000-000000000401',
  'ge000000-0000-4000-8000-000000000401',
  'urn:uuid:de000000-0000-4000-8000-000000000401',
];

const DEMO_ID_LIST = Object.values(DEMO_IDS) as string[];

/** Ids: the demo's (as they are and in upper case), random v4 ones, and near misses. */
function uuidArbitrary(strict = false): fc.Arbitrary<string> {
  if (strict)
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...DEMO_ID_LIST) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
    );
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...DEMO_ID_LIST) },
    { weight: 1, arbitrary: fc.constantFrom(...DEMO_ID_LIST).map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...UUID_EDGES) },
    { weight: 1, arbitrary: textArbitrary(0, 40) },
  );
}

const DATE_EDGES = [
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '1970-01-01',
  '2000-02-29',
  '2023-02-29',
  '2024-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-04-31',
  '9999-12-31',
  '10000-01-01',
  '+275760-09-13',
  '-000001-01-01',
  '2024-1-1',
  '20240101',
];

function dateArbitrary(strict: boolean): fc.Arbitrary<string> {
  const near = fc
    .integer({ min: -400, max: 400 })
    .map((days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10));
  if (strict) return near;
  return fc.oneof(
    { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
    { weight: 3, arbitrary: near },
    { weight: 2, arbitrary: fc.constantFrom(...DATE_EDGES) },
    { weight: 1, arbitrary: textArbitrary(0, 30) },
  );
}

function dateTimeArbitrary(strict: boolean): fc.Arbitrary<string> {
  const near = fc
    .integer({ min: -400 * 24, max: 400 * 24 })
    .map((hours) => new Date(Date.now() + hours * 3_600_000).toISOString());
  if (strict) return near;
  return fc.oneof(
    { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
    { weight: 3, arbitrary: near },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ...DATE_EDGES.map((d) => `${d}T00:00:00Z`),
        '2024-06-01T24:00:00Z',
        '2024-06-01T23:59:60Z',
        '2024-06-01T12:00:00+14:00',
        '2024-06-01T12:00:00-23:59',
        '2024-06-01T12:00:00.123456789Z',
        '2024-06-01T12:00:00',
        '2024-06-01 12:00:00Z',
        '9999-12-31T23:59:59.999Z',
        '0000-01-01T00:00:00Z',
      ),
    },
    { weight: 1, arbitrary: textArbitrary(0, 40) },
  );
}

function emailArbitrary(strict: boolean): fc.Arbitrary<string> {
  if (strict) return fc.oneof(fc.emailAddress(), fc.constantFrom(...Object.values(IDENTITIES)));
  return fc.oneof(
    { weight: 3, arbitrary: fc.emailAddress() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'lea.lead@demo.example',
        'LEA.LEAD@DEMO.EXAMPLE',
        ' lea.lead@demo.example ',
        'karim.client@demo.example',
        'ada.admin@demo.example',
        'a@b',
        '@demo.example',
        'x@',
        'ünïcødé@exämple.be',
        '"quoted local"@demo.example',
        `${'a'.repeat(64)}@${'b'.repeat(185)}.example`,
        'a\u0000@demo.example',
      ),
    },
    { weight: 1, arbitrary: textArbitrary(0, 254) },
  );
}

/** A JSON value that follows a schema, with edge values (and, now and then, a wrong one). */
export function valueArbitrary(
  schema: JsonSchema,
  document: Document,
  strict: boolean,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unknown schema ${schema.$ref}`);
    return valueArbitrary(target, document, strict, depth);
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueArbitrary(s, document, strict, depth)));
  if (schema.allOf) {
    const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      Object.assign(merged.properties ?? {}, part.properties);
      merged.required?.push(...(part.required ?? []));
    }
    return valueArbitrary(merged, document, strict, depth);
  }
  if (Array.isArray(schema.type))
    return fc.oneof(
      ...schema.type.map((type) => valueArbitrary({ ...schema, type }, document, strict, depth)),
    );
  switch (schema.type ?? '') {
    case 'string':
      switch (schema.format ?? '') {
        case 'uuid':
          return uuidArbitrary(strict);
        case 'date':
          return dateArbitrary(strict);
        case 'date-time':
          return dateTimeArbitrary(strict);
        case 'email':
          return emailArbitrary(strict);
        case 'uri':
          if (strict) return fc.webUrl();
          return fc.oneof(fc.webUrl(), textArbitrary(0, 300), fc.constant('javascript:alert(1)'));
        case 'base64':
          if (strict) return fc.base64String();
          return fc.oneof(fc.base64String(), textArbitrary(0, 100));
        default:
          if (schema.pattern && strict) return fc.stringMatching(new RegExp(schema.pattern));
          if (schema.pattern)
            return fc.oneof(
              { weight: 3, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) },
              { weight: 1, arbitrary: textArbitrary(schema.minLength, schema.maxLength) },
            );
          return textArbitrary(schema.minLength, schema.maxLength, strict);
      }
    case 'integer':
      return numberArbitrary(schema, true, strict);
    case 'number':
      return numberArbitrary(schema, false, strict);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? valueArbitrary(schema.items, document, strict, depth + 1) : fc.jsonValue();
      const minLength = schema.minItems ?? 0;
      return fc.array(items, {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 5, 5)),
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      if (depth > 4) return fc.constant({});
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, s]) => [key, valueArbitrary(s, document, strict, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid value

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'planId',
  'version',
  'x',
  '',
  'a\u0000',
  '\uD800',
];

/** Nested `depth` levels deep, as JSON text (the parser, not JSON.stringify, must meet it). */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A marker replaced by raw JSON text when the body is written: deep nesting JSON.stringify would not survive. */
const RAW = '\u0001raw:';

/** A value of the wrong kind, for anywhere in a body. */
function wrongValueArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', [], {}, [null], { '': null }, '1', 'true'),
    textArbitrary(),
    fc.jsonValue({ maxDepth: 3 }),
    fc
      .constantFrom(10, 1000, 10_000, 100_000)
      .chain((depth) =>
        fc.constantFrom('array' as const, 'object' as const).map((kind) => `${RAW}${deepJson(depth, kind)}`),
      ),
    fc
      .constantFrom(1000, 10_000, 100_000)
      .map((length) => Array.from({ length }, (_, i) => (i % 2 ? 'x' : i))),
  );
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; path: number[] }
  | { kind: 'extra'; path: number[]; key: string; value: unknown }
  | { kind: 'replace'; path: number[]; value: unknown }
  | { kind: 'whole'; value: unknown };

function mutationArbitrary(): fc.Arbitrary<Mutation> {
  const path = fc.array(fc.nat(), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: path.map((p) => ({ kind: 'drop' as const, path: p })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(path, fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string()), wrongValueArbitrary())
        .map(([p, key, value]) => ({ kind: 'extra' as const, path: p, key, value })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(path, wrongValueArbitrary())
        .map(([p, value]) => ({ kind: 'replace' as const, path: p, value })),
    },
    { weight: 1, arbitrary: wrongValueArbitrary().map((value) => ({ kind: 'whole' as const, value })) },
  );
}

/** A copy of `value` with the mutation applied (a path follows keys and indices, modulo their count). */
function applyMutation(value: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'none') return value;
  if (mutation.kind === 'whole') return mutation.value;
  const root: unknown = structuredClone(value);
  let parent: unknown = null;
  let key: string | number | null = null;
  let node: unknown = root;
  for (const step of mutation.path) {
    if (node === null || typeof node !== 'object') break;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[step % keys.length] ?? null;
    node = (node as Record<string | number, unknown>)[key as string];
  }
  const container = (mutation.kind === 'extra' ? node : parent) as Record<string | number, unknown> | null;
  if (mutation.kind === 'extra') {
    if (container && typeof container === 'object' && !Array.isArray(container))
      Object.defineProperty(container, mutation.key, {
        value: mutation.value,
        enumerable: true,
        writable: true,
      });
    else if (root && typeof root === 'object' && !Array.isArray(root))
      Object.defineProperty(root, mutation.key, { value: mutation.value, enumerable: true, writable: true });
    return root;
  }
  if (!container || key === null) return mutation.kind === 'replace' ? mutation.value : root;
  if (mutation.kind === 'drop') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key];
  } else container[key] = mutation.value;
  return root;
}

/** JSON text of a value, with raw markers spliced in and lone surrogates escaped as JSON.stringify does. */
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /"\\u0001raw:((?:[^"\\]|\\.)*)"/g,
    (_, raw: string) => JSON.parse(`"${raw}"`) as string,
  );
}

// ---------------------------------------------------------------------------------------------
// Raw bodies and content types

export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string }
  | { kind: 'raw'; text: string; contentType: string | null }
  | { kind: 'bytes'; hex: string; contentType: string | null }
  | { kind: 'utf16'; value: unknown; contentType: string }
  | { kind: 'huge'; length: number; contentType: string };

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'APPLICATION/JSON',
  'application/json; charset=us-ascii',
  'application/json; boundary=x; charset=utf-8',
];
const OTHER_TYPES = [
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=',
  'application/json; charset',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  'application/merge-patch+json',
  'application/xml',
  '*/*',
  'application/',
  ';;;',
  'application/json, text/plain',
];
const RAW_TEXTS = [
  '',
  ' ',
  '{',
  '}',
  '{"a":}',
  "{'title':'x'}",
  '{"title":"x",}',
  '[1,2',
  'nul',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '{}',
  'NaN',
  '\uFEFF{}',
  '{"title":"x"}garbage',
  '{"title":"x"}{"title":"y"}',
  '{"title":"a","title":1}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"title":"\\ud800"}',
  '{"title":"\\u0000"}',
  '{"title":"\\x41"}',
  '{"a":1e999999}',
  '{"a":-}',
  'a=1&b=2',
  '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  '<?xml version="1.0"?><a/>',
];
const BAD_BYTES = [
  '7b227469746c65223a22ff227d', // {"title":"\xff"}
  '7b227469746c65223a22c328227d', // an overlong / broken sequence
  '7b227469746c65223a22eda080227d', // a surrogate encoded as UTF-8 (CESU)
  '7b227469746c65223a22c0af227d', // overlong "/"
  'fffe7b007d00', // UTF-16 LE with BOM
  'efbbbf7b7d', // UTF-8 BOM
  '00',
  'ff',
];

function bodyArbitrary(operation: Operation, document: Document): fc.Arbitrary<BodyPlan> {
  const any = fc.jsonValue({ maxDepth: 3 });
  const schemaValue = operation.body ? valueArbitrary(operation.body, document, false) : any;
  const validValue = operation.body ? valueArbitrary(operation.body, document, true) : any;
  const valid = validValue.map((value): BodyPlan => ({
    kind: 'json',
    value,
    contentType: 'application/json',
  }));
  const json = fc
    .tuple(schemaValue, mutationArbitrary(), fc.constantFrom(...JSON_TYPES))
    .map(([value, mutation, contentType]): BodyPlan => ({
      kind: 'json',
      value: applyMutation(value, mutation),
      contentType,
    }));
  return fc.oneof(
    { weight: operation.body ? 8 : 0, arbitrary: valid },
    { weight: operation.body ? 8 : 2, arbitrary: json },
    { weight: operation.body ? 1 : 6, arbitrary: fc.constant<BodyPlan>({ kind: 'none' }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(...RAW_TEXTS), fc.string()),
          fc.option(fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES)),
        )
        .map(([text, contentType]): BodyPlan => ({ kind: 'raw', text, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(schemaValue, fc.constantFrom(...OTHER_TYPES))
        .map(([value, contentType]): BodyPlan => ({ kind: 'raw', text: JSON.stringify(value), contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...BAD_BYTES), fc.option(fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES)))
        .map(([hex, contentType]): BodyPlan => ({ kind: 'bytes', hex, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          schemaValue,
          fc.constantFrom(
            'application/json; charset=utf-16',
            'application/json; charset=utf-16le',
            'application/json',
          ),
        )
        .map(([value, contentType]): BodyPlan => ({ kind: 'utf16', value, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(64 * 1024, 1024 * 1024 - 64, 1024 * 1024 + 1, 3 * 1024 * 1024),
          fc.constantFrom(...JSON_TYPES, 'text/plain'),
        )
        .map(([length, contentType]): BodyPlan => ({ kind: 'huge', length, contentType })),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Parameters, identities, headers

/** How a path parameter is chosen; resolved against the fuzzer's pools when the request is sent. */
export type ParamPlan = { kind: 'pool'; index: number; upper: boolean } | { kind: 'value'; value: string };

function paramArbitrary(schema: JsonSchema | undefined, document: Document): fc.Arbitrary<ParamPlan> {
  if (schema && schema.format !== 'uuid')
    return fc
      .oneof(
        { weight: 3, arbitrary: valueArbitrary(schema, document, true) },
        { weight: 1, arbitrary: valueArbitrary(schema, document, false) },
      )
      .map((value) => ({ kind: 'value' as const, value: String(value) }));
  return fc.oneof(
    {
      weight: 14,
      arbitrary: fc.record({
        kind: fc.constant('pool' as const),
        index: fc.nat(),
        upper: fc.constant(false),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('pool' as const), index: fc.nat(), upper: fc.constant(true) }),
    },
    { weight: 2, arbitrary: uuidArbitrary(false).map((value) => ({ kind: 'value' as const, value })) },
  );
}

/** The identities requests are sent as (signed in through the real login route), and none. */
export const IDENTITIES = {
  lead: 'lea.lead@demo.example',
  coLead: 'tom.colead@demo.example',
  partner: 'paul.partner@demo.example',
  otherPartner: 'nora.partner@demo.example',
  client: 'karim.client@demo.example',
  admin: 'ada.admin@demo.example',
} as const;
export type Identity = keyof typeof IDENTITIES;
const IDENTITY_NAMES = Object.keys(IDENTITIES) as Identity[];

export type AuthPlan =
  | { kind: 'identity'; identity: Identity; via: 'bearer' | 'cookie' | 'both' }
  | { kind: 'none' }
  | { kind: 'header'; authorization: string }
  | { kind: 'cookie'; cookie: string }
  | {
      kind: 'forged';
      identity: Identity;
      /** Claims replacing the identity's own (undefined: left out). */
      claims: Record<string, unknown>;
      header: Record<string, unknown>;
    }
  | { kind: 'tampered'; identity: Identity; at: number };

const CLAIM_VALUES = fc.oneof(
  uuidArbitrary(false),
  fc.constantFrom(null, 0, -1, 1e308, true, [], {}, '', 'x'),
  fc.constantFrom(DEMO_IDS.lea, DEMO_IDS.lea.toUpperCase()),
);

function authArbitrary(): fc.Arbitrary<AuthPlan> {
  const now = Math.floor(Date.now() / 1000);
  return fc.oneof(
    {
      weight: 50,
      arbitrary: fc.record({
        kind: fc.constant('identity' as const),
        // The lead and co-lead more often: they may write most, so more requests reach a write.
        identity: fc.constantFrom<Identity>(
          'lead',
          'lead',
          'lead',
          'coLead',
          'coLead',
          'partner',
          'partner',
          'otherPartner',
          'client',
          'client',
          'admin',
        ),
        via: fc.constantFrom('bearer' as const, 'bearer' as const, 'cookie' as const, 'both' as const),
      }),
    },
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Bearer x.y.z',
            'Basic bGVhOmxpYWlzb24tZGVtbw==',
            'bearer',
            'Token abc',
            'Bearer eyJhbGciOiJub25lIn0.e30.',
            'Bearer ' + 'a'.repeat(20_000),
          ),
          fc.string().map((s) => `Bearer ${s}`),
          textArbitrary(),
        )
        .map((authorization) => ({ kind: 'header' as const, authorization })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            `${SESSION_COOKIE}=`,
            `${SESSION_COOKIE}=x.y.z`,
            `${SESSION_COOKIE}="quoted"`,
            `${SESSION_COOKIE}=%ZZ`,
            `${SESSION_COOKIE}=a; ${SESSION_COOKIE}=b`,
            ';;;=;',
            `a=${'b'.repeat(64 * 1024)}`,
            Array.from({ length: 2000 }, (_, i) => `c${i}=${i}`).join('; '),
          ),
          fc.string().map((s) => `${SESSION_COOKIE}=${s}`),
        )
        .map((cookie) => ({ kind: 'cookie' as const, cookie })),
    },
    {
      // Well signed with the app's secret: an identity's own claims (its real session), one or two
      // of them changed or left out, so that the check after the signature is what is fuzzed.
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('forged' as const),
        identity: fc.constantFrom(...IDENTITY_NAMES),
        claims: fc.oneof(
          fc.record({ sub: CLAIM_VALUES }),
          fc.record({ sid: CLAIM_VALUES }),
          fc.record({ sub: CLAIM_VALUES, sid: CLAIM_VALUES }),
          fc.record({ iss: fc.constantFrom('someone', '', null, TOKEN_ISSUER.toUpperCase()) }),
          fc.record({ aud: fc.constantFrom('other', [TOKEN_AUDIENCE], [TOKEN_AUDIENCE, 'other'], null) }),
          fc.record({ exp: fc.constantFrom(now - 3600, 1e308, -1, '1', 2 ** 53, null, now + 10 ** 9) }),
          fc.record({ iat: fc.constantFrom(now + 10_000, 'x', -1) }),
          fc.constantFrom('sub', 'sid', 'exp', 'iss', 'aud').map((claim) => ({ [claim]: undefined })),
        ),
        header: fc.constantFrom<Record<string, unknown>>(
          { alg: 'HS256', typ: 'JWT' },
          { alg: 'HS256', typ: 'JWT' },
          { alg: 'HS256', typ: 'JWT' },
          { alg: 'none' },
          { alg: 'HS512', typ: 'JWT' },
          { alg: 'HS256', kid: '../../etc/passwd' },
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('tampered' as const),
        identity: fc.constantFrom(...IDENTITY_NAMES),
        at: fc.nat(),
      }),
    },
  );
}

/** If-Match: the current ETag of what is written (tracked), none, `*`, stale and malformed ones. */
export type IfMatchPlan = { kind: 'tracked' } | { kind: 'none' } | { kind: 'value'; value: string };

function ifMatchArbitrary(): fc.Arbitrary<IfMatchPlan> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({ kind: 'tracked' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '*',
            '"0"',
            '"1"',
            '"2"',
            'W/"1"',
            '"stale-0"',
            '""',
            '"1", "2"',
            '*, "1"',
            '1',
            '"-1"',
            '"99999999999999999999"',
            '"1.5"',
            '"1',
            `"${'9'.repeat(5000)}"`,
            'W/',
            ',',
            '"\u00e9"',
          ),
          fc.integer({ min: -1, max: 2 ** 31 }).map((n) => `"${n}"`),
          fc.string(),
        )
        .map((value) => ({ kind: 'value' as const, value })),
    },
  );
}

/** Headers beyond auth and If-Match: what a browser, a proxy or an attacker adds. */
function extraHeadersArbitrary(): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          origin: fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null', ''),
          'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none', 'bogus'),
          accept: fc.constantFrom(
            'application/json',
            'text/html',
            '*/*',
            'application/xml',
            '',
            'application/problem+json;q=0',
          ),
          'accept-language': fc.oneof(fc.constantFrom('nl-BE,fr;q=0.8', 'xx', '*', ';q=', ''), fc.string()),
          'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1', ''),
          'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'bogus'),
        },
        { requiredKeys: [] },
      ),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// A request plan

export interface RequestPlan {
  /** Index of the operation; -1: a request to no operation (`stray`). */
  operation: number;
  stray: { method: string; url: string } | null;
  params: ParamPlan[];
  /** Query string parts, already percent-encoded (or deliberately not). */
  query: string[];
  body: BodyPlan;
  auth: AuthPlan;
  ifMatch: IfMatchPlan;
  headers: Record<string, string>;
  remoteAddress: string;
}

/** Percent-encodes every code point as UTF-8, lone surrogates included (encodeURIComponent throws on them). */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (/[A-Za-z0-9\-_.~]/.test(char)) {
      out += char;
      continue;
    }
    const bytes =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

const RAW_QUERY_PARTS = [
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%FF',
  '%C0%AF',
  '%00',
  'a=%ED%A0%80',
  '&&&',
  '=',
  'limit',
  'limit=',
  'limit=1&limit=2',
  'limit[]=1',
  'limit[a]=1',
  'q=%2500',
  '__proto__[x]=1',
];

function queryArbitrary(operation: Operation, document: Document): fc.Arbitrary<string[]> {
  const parts = operation.query.map((parameter) =>
    fc
      .tuple(
        fc.boolean(),
        fc.oneof(
          { weight: 6, arbitrary: valueArbitrary(parameter.schema, document, true) },
          { weight: 2, arbitrary: valueArbitrary(parameter.schema, document, false) },
          { weight: 1, arbitrary: textArbitrary() },
        ),
      )
      .map(([include, value]) =>
        include || parameter.required
          ? [
              `${parameter.name}=${percentEncode(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
            ]
          : [],
      ),
  );
  return fc
    .tuple(
      fc.tuple(...parts),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(...RAW_QUERY_PARTS), { maxLength: 2 }) },
      ),
    )
    .map(([picked, raw]) => [...picked.flat(), ...raw]);
}

const STRAY_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'PROPFIND',
  'SEARCH',
];
const STRAY_URLS = [
  '/api',
  '/api/',
  '/api/nothing',
  '/API/plans',
  '/api//plans',
  '/api/plans/',
  '/api/plans/%',
  '/api/plans/%2e%2e%2fme',
  '/api/plans/..%2F..%2Fme',
  '/api/plans/de000000-0000-4000-8000-000000000401/../../me',
  '/api/plans/de000000-0000-4000-8000-000000000401/goals/%00',
  '/api/plans/de000000-0000-4000-8000-000000000401/nothing',
  `/api/plans/${'a'.repeat(5000)}`,
  '/api/me?',
  '/api/me?#x',
  '/api/me;jsessionid=1',
  '/api/openapi.json',
  '/api/docs/',
  '/api/health?x=%00',
  '/%00',
  '/index.html',
  '/plans/x',
];

/** Requests for every operation of the document, and stray ones (unknown paths, other methods). */
export function requestArbitrary(
  operations: Operation[],
  document: Document,
  weightOf: (op: Operation) => number,
): fc.Arbitrary<RequestPlan> {
  const common = fc.record({
    auth: authArbitrary(),
    ifMatch: ifMatchArbitrary(),
    headers: extraHeadersArbitrary(),
    remoteAddress: fc.oneof(
      { weight: 4, arbitrary: fc.constant('127.0.0.1') },
      { weight: 1, arbitrary: fc.ipV4() },
      { weight: 1, arbitrary: fc.ipV6() },
    ),
  });
  const perOperation = operations.map((operation, index) => ({
    weight: weightOf(operation),
    arbitrary: fc
      .record({
        params: fc.tuple(
          ...operation.pathParams.map((name) => paramArbitrary(operation.pathSchemas[name], document)),
        ),
        query: queryArbitrary(operation, document),
        body:
          operation.method === 'GET' || operation.method === 'DELETE'
            ? fc.oneof(
                { weight: 9, arbitrary: fc.constant<BodyPlan>({ kind: 'none' }) },
                { weight: 1, arbitrary: bodyArbitrary(operation, document) },
              )
            : bodyArbitrary(operation, document),
        common,
      })
      .map(({ params, query, body, common: c }): RequestPlan => ({
        operation: index,
        stray: null,
        params,
        query,
        body,
        ...c,
      })),
  }));
  const stray = fc
    .record({
      method: fc.constantFrom(...STRAY_METHODS),
      url: fc.oneof(
        fc.constantFrom(...STRAY_URLS),
        fc.constantFrom(...operations.map((o) => o.path)),
        fc.string().map((s) => `/api/${percentEncode(s)}`),
      ),
      body: bodyArbitrary(
        { method: 'POST', path: '', pathParams: [], pathSchemas: {}, query: [], body: null },
        document,
      ),
      common,
    })
    .map(({ method, url, body, common: c }): RequestPlan => ({
      operation: -1,
      stray: { method, url },
      params: [],
      query: [],
      body,
      ...c,
    }));
  return fc.oneof(...perOperation, { weight: 3, arbitrary: stray });
}

// ---------------------------------------------------------------------------------------------
// Sending

/** A request as sent, to print and replay. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text; bytes that are not UTF-8 as `hex:…`. */
  body?: string;
  remoteAddress?: string;
}

export interface Failure {
  reason: string;
  request: SentRequest;
  status: number;
  contentType: string;
  responseBody: string;
}

/** A signed HS256 JWT of any header and claims, with the app's secret. */
export function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Where ids come from: per collection path (`/api/plans/{planId}/goals`), with the parameters they were found under. */
interface PoolEntry {
  id: string;
  context: Record<string, string>;
}

/** FUZZ_TRACE=<regex>: print every request to a matching operation (`POST /api/plans/{planId}/goals`) and its answer. */
const TRACE = process.env.FUZZ_TRACE ? new RegExp(process.env.FUZZ_TRACE) : null;

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stateful half: the app, the identities' tokens, the pools of ids the app answered, the
 * ETags seen, and the writes that must not happen (they would sign out or lock out an identity).
 */
export class Fuzzer {
  readonly tokens = new Map<Identity, string>();
  readonly statuses = new Map<number, number>();
  readonly byOperation = new Map<string, Map<number, number>>();
  readonly failures: Failure[] = [];
  sent = 0;
  downgraded = 0;
  /** The writes sent as each identity since the last check, to tell what took a session away. */
  private writesSinceCheck: Array<{ identity: Identity; request: SentRequest }> = [];
  private readonly pools = new Map<string, PoolEntry[]>();
  private readonly seen = new Set<string>();
  private readonly etags = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  private readonly protectedIds: Set<string>;
  private readonly sessionIds = new Set<string>();

  constructor(
    readonly app: FastifyInstance,
    readonly operations: Operation[],
    readonly jwtSecret: string,
  ) {
    const I = DEMO_IDS;
    // Rows whose change would take an identity's access away: their users, their memberships of
    // Karim's plan (and the grants that make Paul and Nora partners), Karim's plan itself.
    this.protectedIds = new Set([
      I.lea,
      I.tom,
      I.paul,
      I.nora,
      I.karimUser,
      I.ada,
      I.karimMemberLea,
      I.karimMemberTom,
      I.karimMemberPaul,
      I.karimMemberNora,
      I.karimGrantPaulNetwork,
      I.karimGrantPaulGoals,
      I.karimGrantPaulActions,
      I.karimGrantPaulCrisis,
      I.karimGrantPaulBackground,
      I.karimGrantPaulMeetings,
      I.karimGrantNoraGoals,
      I.karimGrantNoraActions,
    ]);
    for (const id of DEMO_ID_LIST) this.remember('*', id, {});
  }

  /** Signs every identity in through the real login route. */
  async signIn(password: string): Promise<void> {
    for (const [identity, email] of Object.entries(IDENTITIES) as Array<[Identity, string]>) {
      const response = await this.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password },
      });
      if (response.statusCode !== 200)
        throw new Error(`sign-in of ${email}: ${response.statusCode} ${response.body}`);
      const token = response.json<{ token: string }>().token;
      this.tokens.set(identity, token);
      const sid = (
        JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sid: string }
      ).sid;
      this.sessionIds.add(sid.toLowerCase());
    }
  }

  /** Reads every list of the demo plans as their leads (and the rest as the admin), so that the pools start with real ids. */
  async warmUp(): Promise<void> {
    const plans = [
      [DEMO_IDS.karimPlan, 'lead'],
      [DEMO_IDS.janPlan, 'lead'],
      [DEMO_IDS.mariePlan, 'lead'],
      [DEMO_IDS.fatimaPlan, 'coLead'],
    ] as const;
    for (const operation of this.operations) {
      if (operation.method !== 'GET' || operation.pathParams.some((p) => p !== 'planId')) continue;
      const targets = operation.pathParams.length
        ? plans
        : ([
            ['', 'admin'],
            ['', 'lead'],
          ] as const);
      for (const [planId, identity] of targets) {
        const url = operation.path.replace('{planId}', planId);
        const response = await this.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${this.tokens.get(identity)}` },
        });
        this.harvest(operation, planId ? { planId } : {}, url, response);
      }
    }
  }

  /**
   * Checks that every identity is still signed in; for those that are not, the writes sent as them
   * since the last check (one of them ended the session), empty when all are.
   */
  async signedOut(): Promise<string[]> {
    const dead: string[] = [];
    for (const [identity, token] of this.tokens) {
      const response = await this.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.statusCode !== 200)
        dead.push(
          `${identity} (${response.statusCode}), after one of:\n` +
            this.writesSinceCheck
              .filter((write) => write.identity === identity)
              .map((write) => `  ${JSON.stringify(write.request).slice(0, 1000)}`)
              .join('\n'),
        );
    }
    this.writesSinceCheck = [];
    return dead;
  }

  private remember(pool: string, id: string, context: Record<string, string>): void {
    const key = `${pool} ${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const entries = this.pools.get(pool) ?? [];
    entries.push({ id, context });
    this.pools.set(pool, entries);
  }

  /** Ids and versions from an answer, into the pool of the collection the operation belongs to. */
  private harvest(
    operation: Operation,
    params: Record<string, string>,
    url: string,
    response: LightMyRequestResponse,
  ): void {
    if (response.statusCode >= 300) return;
    const etag = response.headers.etag;
    if (typeof etag === 'string') this.etags.set(url.split('?')[0]?.toLowerCase() ?? '', etag);
    if (!String(response.headers['content-type']).includes('json')) return;
    let body: unknown;
    try {
      body = response.json();
    } catch {
      return;
    }
    // The collection the answer's ids belong to: the path itself, or its parent for `/{id}` paths.
    const collection = /\/\{\w+\}$/.test(operation.path)
      ? operation.path.replace(/\/\{\w+\}$/, '')
      : operation.path;
    // The answer's own rows: the body, the items of a list (an array or `{ items: [] }`); the ids
    // nested in them (a goal's owner, a plan's client) belong to other collections.
    const visit = (node: unknown, depth: number, own: boolean): void => {
      if (depth > 4 || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const item of node.slice(0, 200)) visit(item, depth + 1, own);
        return;
      }
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string' && UUID_TEXT.test(record.id)) {
        this.remember(own ? collection : '*', record.id, params);
        if (typeof record.version === 'number') this.versions.set(record.id.toLowerCase(), record.version);
      }
      for (const [key, value] of Object.entries(record)) {
        if (key === 'planId' && typeof value === 'string' && UUID_TEXT.test(value))
          this.remember('/api/plans', value, {});
        if (typeof value === 'object')
          visit(value, depth + 1, own && depth === 0 && Array.isArray(value) && !('id' in record));
      }
    };
    visit(body, 0, true);
  }

  /** The concrete value of a path parameter. */
  private resolveParam(
    operation: Operation,
    position: number,
    plan: ParamPlan,
    chosen: Record<string, string>,
  ): string {
    if (plan.kind === 'value') return plan.value;
    const name = operation.pathParams[position] ?? '';
    const prefix = operation.path.slice(0, operation.path.indexOf(`/{${name}}`));
    const pool = this.pools.get(prefix) ?? this.pools.get('*') ?? [];
    const entry = pool[plan.index % pool.length];
    if (!entry) return DEMO_IDS.karimPlan;
    // The item of one plan, under that plan's path (when the earlier parameter came from the pool too).
    for (const [key, value] of Object.entries(entry.context))
      if (value && !(key in chosen)) chosen[key] = value;
    return plan.upper ? entry.id.toUpperCase() : entry.id;
  }

  /** The request a plan stands for, as app.inject options and as printed. */
  resolve(plan: RequestPlan): {
    options: InjectOptions;
    sent: SentRequest;
    operation: Operation | null;
    params: Record<string, string>;
    identity: Identity | null;
  } {
    const operation = plan.stray ? null : (this.operations[plan.operation] ?? null);
    const params: Record<string, string> = {};
    let url: string;
    let method: string;
    if (operation) {
      // The last parameter first: its pool entry names the plan it belongs to.
      const values: string[] = [];
      for (let i = operation.pathParams.length - 1; i >= 0; i--) {
        const name = operation.pathParams[i] ?? '';
        const p = plan.params[i];
        const fromContext = params[name];
        values[i] =
          fromContext !== undefined && p?.kind === 'pool' && p.index % 5 !== 0
            ? fromContext
            : this.resolveParam(operation, i, p ?? { kind: 'pool', index: 0, upper: false }, params);
        params[name] = values[i] ?? '';
      }
      url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(params[name] ?? ''));
      method = operation.method;
    } else {
      url = plan.stray?.url ?? '/';
      method = plan.stray?.method ?? 'GET';
    }
    if (plan.query.length) url += `?${plan.query.join('&')}`;

    const headers: Record<string, string> = { ...plan.headers };
    // A stray request may still name a real operation (`POST /api/auth/logout`): protected alike.
    const target = operation ?? this.operationAt(method, url, params);
    const auth = this.protects(method, target, params, plan) ? ({ kind: 'none' } as const) : plan.auth;
    if (auth !== plan.auth) this.downgraded++;
    switch (auth.kind) {
      case 'identity': {
        const token = this.tokens.get(auth.identity) ?? '';
        if (auth.via !== 'cookie') headers.authorization = `Bearer ${token}`;
        if (auth.via !== 'bearer') headers.cookie = `${SESSION_COOKIE}=${token}`;
        break;
      }
      case 'header':
        headers.authorization = auth.authorization;
        break;
      case 'cookie':
        headers.cookie = auth.cookie;
        break;
      case 'forged': {
        const token = this.tokens.get(auth.identity) ?? '';
        const own = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as object;
        headers.authorization = `Bearer ${signJwt(auth.header, { ...own, ...auth.claims }, this.jwtSecret)}`;
        break;
      }
      case 'tampered': {
        const token = this.tokens.get(auth.identity) ?? '';
        const at = auth.at % token.length;
        headers.authorization = `Bearer ${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
        break;
      }
      case 'none':
        break;
    }
    if (plan.ifMatch.kind === 'value') headers['if-match'] = plan.ifMatch.value;
    else if (plan.ifMatch.kind === 'tracked' && method !== 'GET') {
      const path = url.split('?')[0]?.toLowerCase() ?? '';
      const last = operation?.pathParams.at(-1);
      const version = last ? this.versions.get((params[last] ?? '').toLowerCase()) : undefined;
      const etag =
        this.etags.get(path) ??
        this.etags.get(path.replace(/\/[^/]+$/, '')) ??
        (version !== undefined ? `"${version}"` : undefined);
      if (etag) headers['if-match'] = etag;
    }

    let payload: string | Buffer | undefined;
    let printed: string | undefined;
    const body = plan.body;
    switch (body.kind) {
      case 'none':
        break;
      case 'json':
        payload = toJson(body.value);
        headers['content-type'] = body.contentType;
        break;
      case 'raw':
        payload = body.text;
        if (body.contentType !== null) headers['content-type'] = body.contentType;
        break;
      case 'bytes':
        payload = Buffer.from(body.hex, 'hex');
        printed = `hex:${body.hex}`;
        if (body.contentType !== null) headers['content-type'] = body.contentType;
        break;
      case 'utf16':
        payload = Buffer.from(toJson(body.value), 'utf16le');
        printed = `utf16le:${toJson(body.value)}`;
        headers['content-type'] = body.contentType;
        break;
      case 'huge': {
        const text = `{"title":"${'x'.repeat(Math.max(0, body.length - 12))}"}`;
        payload = text;
        printed = `{"title":"x" × ${body.length - 12}}`;
        headers['content-type'] = body.contentType;
        break;
      }
    }
    const sent: SentRequest = {
      method,
      url,
      headers,
      body: printed ?? (typeof payload === 'string' ? payload : undefined),
      remoteAddress: plan.remoteAddress,
    };
    const options: InjectOptions = {
      method: method as InjectOptions['method'],
      url,
      headers,
      payload,
      remoteAddress: plan.remoteAddress,
    };
    return { options, sent, operation, params, identity: auth.kind === 'identity' ? auth.identity : null };
  }

  /** The operation a method and URL reach, with the path parameters it reads from the URL. */
  private operationAt(method: string, url: string, params: Record<string, string>): Operation | null {
    const path = url.split('?')[0] ?? '';
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const pattern = new RegExp(`^${operation.path.replace(/\{\w+\}/g, '([^/]*)')}/?$`, 'i');
      const match = pattern.exec(path);
      if (!match) continue;
      operation.pathParams.forEach((name, i) => {
        let value = match[i + 1] ?? '';
        try {
          value = decodeURIComponent(value);
        } catch {
          // Left as it is: the app refuses it before any handler.
        }
        params[name] = value;
      });
      return operation;
    }
    return null;
  }

  /**
   * Whether a request, sent as its identity, could sign out, lock out or disable one of the
   * identities or take their access to Karim's plan away; such requests are sent without a session.
   */
  private protects(
    method: string,
    operation: Operation | null,
    params: Record<string, string>,
    plan: RequestPlan,
  ): boolean {
    if (!operation) return false;
    const route = `${method} ${operation.path}`;
    const ids = Object.values(params).map((v) => v.toLowerCase());
    const touchesProtected = ids.some((id) => this.protectedIds.has(id));
    const karimPlan = (params.planId ?? '').toLowerCase() === DEMO_IDS.karimPlan;
    const body = plan.body.kind === 'json' ? plan.body.value : null;
    switch (route) {
      case 'POST /api/auth/logout':
      case 'DELETE /api/me/sessions':
      case 'POST /api/me/password':
        return true;
      case 'DELETE /api/me/sessions/{sessionId}':
        return this.sessionIds.has((params.sessionId ?? '').toLowerCase());
      case 'PATCH /api/users/{userId}':
      case 'PATCH /api/plans/{planId}/members/{memberId}':
      case 'DELETE /api/plans/{planId}/members/{memberId}':
      case 'POST /api/plans/{planId}/members/{memberId}/access-letter':
      case 'POST /api/plans/{planId}/grants/{grantId}/revoke':
        return touchesProtected;
      case 'POST /api/plans/{planId}/close':
      case 'POST /api/plans/{planId}/client-access':
      case 'DELETE /api/plans/{planId}/client-access/letter':
        return karimPlan;
      case 'PATCH /api/plans/{planId}':
        return karimPlan && JSON.stringify(body ?? null).includes('closed');
      default:
        return false;
    }
  }

  /** Sends one planned request, checks the answer and feeds the pools. */
  async send(plan: RequestPlan): Promise<void> {
    const { options, sent, operation, params, identity } = this.resolve(plan);
    const key = operation ? `${operation.method} ${operation.path}` : 'stray';
    let response: LightMyRequestResponse;
    const started = performance.now();
    try {
      response = await withTimeout(this.app.inject(options), 20_000);
    } catch (error) {
      this.failures.push({
        reason: `no answer: ${(error as Error).message}`,
        request: sent,
        status: 0,
        contentType: '',
        responseBody: '',
      });
      return;
    }
    this.sent++;
    if (TRACE?.test(key))
      console.log(
        `${Math.round(performance.now() - started)} ms ${JSON.stringify(sent).slice(0, 600)}\n  → ${response.statusCode} ${response.body.slice(0, 300)}`,
      );
    if (identity && sent.method !== 'GET' && sent.method !== 'HEAD')
      this.writesSinceCheck.push({ identity, request: sent });
    const status = response.statusCode;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const perOperation = this.byOperation.get(key) ?? new Map<number, number>();
    perOperation.set(status, (perOperation.get(status) ?? 0) + 1);
    this.byOperation.set(key, perOperation);
    const reason = checkAnswer(response, sent.method);
    if (reason)
      this.failures.push({
        reason,
        request: sent,
        status,
        contentType: String(response.headers['content-type'] ?? ''),
        responseBody: response.body.slice(0, 2000),
      });
    if (operation) this.harvest(operation, params, sent.url, response);
  }
}

/** What is wrong with an answer, or null: no status ≥ 500, and every error is problem+json. */
export function checkAnswer(response: LightMyRequestResponse, method = 'GET'): string | null {
  const status = response.statusCode;
  if (status >= 500) return `answered ${status}`;
  if (status >= 400) {
    const type = String(response.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      return `error ${status} is not problem+json (${type || 'no content type'})`;
    // An answer to HEAD has the headers of GET's and no body.
    if (method === 'HEAD') return null;
    try {
      const problem = response.json<{ status?: unknown }>();
      if (problem.status !== status) return `problem status ${String(problem.status)} differs from ${status}`;
    } catch {
      return `error ${status} is not JSON`;
    }
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A failure, printed so that it can be replayed (`app.inject(request)`). */
export function describeFailure(failure: Failure): string {
  return [
    `${failure.reason}`,
    `  request:  ${JSON.stringify(failure.request)}`,
    `  response: ${failure.status} ${failure.contentType} ${failure.responseBody}`,
  ].join('\n');
}

/** Status counts by class (`2xx: 1234`) and by code. */
export function histogram(statuses: Map<number, number>): string {
  const classes = new Map<string, number>();
  for (const [status, count] of statuses)
    classes.set(`${Math.floor(status / 100)}xx`, (classes.get(`${Math.floor(status / 100)}xx`) ?? 0) + count);
  const byClass = [...classes]
    .sort()
    .map(([c, n]) => `${c}: ${n}`)
    .join(', ');
  const byCode = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  return `${byClass} (${byCode})`;
}

/** Weights: reads and ordinary writes alike; slow password hashing and mail sending less often. */
export function operationWeight(operation: Operation): number {
  // Sent without a session whenever they would end an identity's: a few are enough.
  if (
    ['POST /api/auth/logout', 'DELETE /api/me/sessions', 'POST /api/me/password'].includes(
      `${operation.method} ${operation.path}`,
    )
  )
    return 1;
  if (
    /\/(auth\/login|activate|password-reset|invitations|access-letter|client-access)/.test(operation.path) &&
    operation.method !== 'GET'
  )
    return 1;
  return 4;
}
