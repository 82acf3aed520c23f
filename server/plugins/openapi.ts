import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Response = { content?: Record<string, { schema?: { $ref?: string; type?: unknown } }> };
type Operation = { operationId?: string; responses?: Record<string, Response> };
/** The parts of an OpenAPI 3 document that the steps below read and change. */
type OpenApiDocument = {
  paths?: Record<string, Partial<Record<string, Operation>>>;
  components?: { schemas?: Record<string, unknown> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** The path prefix every operation shares: it says nothing about the operation. */
const PREFIX = 'api';

const isParameter = (segment: string) => segment.startsWith('{');

const pascal = (segment: string) =>
  segment
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/** English plural to singular, enough for resource names (`plans`, `entries`, `addresses`). */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A readable camelCase operation name from the method and path, for client generators:
 * `GET /plans` → `listPlans`, `GET /plans/{planId}` → `getPlan`, `POST /plans/{planId}/goals` →
 * `createPlanGoal`, `PUT /plans/{planId}/crisis` → `replacePlanCrisis`, `PATCH` → `update…`,
 * `DELETE` → `delete…`, and a POST that creates nothing names its last segment as the verb:
 * `POST /plans/{planId}/close` → `closePlan`, `POST /auth/login` → `login`.
 *
 * The subject is built from the literal segments that are followed by an identifier (singular:
 * `plans/{planId}` → `Plan`) and the last segment. A last literal segment is a collection when
 * the document has a path below it with an identifier, when a POST to it answers 201, or when
 * its GET answers a list; a collection is listed (plural) or created into (singular). Anything
 * else is a singleton (`crisis`, `access-log`, `me`), named as written. Literal segments followed
 * by another literal (`auth` in `/auth/login`) are namespaces and left out.
 */
export function deriveOperationId(
  method: string,
  path: string,
  operation: Operation,
  allPaths: readonly string[],
): string {
  const verb = method.toLowerCase();
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === PREFIX) segments.shift();
  const last = segments.at(-1) ?? '';
  const endsWithParameter = isParameter(last);
  const responses = Object.keys(operation.responses ?? {});

  const owners = segments.filter(
    (segment, index) => !isParameter(segment) && isParameter(segments[index + 1] ?? ''),
  );
  const ownerNames = owners.map(singular).map(pascal).join('');
  const subject = (target: string) => `${ownerNames}${pascal(target)}`;
  if (endsWithParameter) {
    const itemVerb = { get: 'get', put: 'replace', patch: 'update', delete: 'delete' }[verb] ?? verb;
    return `${itemVerb}${ownerNames}`;
  }

  const isCollection =
    allPaths.some((other) => other.startsWith(`${path}/{`)) ||
    (verb === 'post' && responses.includes('201')) ||
    (verb === 'get' && answersList(operation));
  if (isCollection) {
    if (verb === 'get') return `list${subject(last)}`;
    if (verb === 'post') return `create${subject(singular(last))}`;
  }
  switch (verb) {
    case 'get':
      return `get${subject(last)}`;
    case 'put':
      return `replace${subject(last)}`;
    case 'patch':
      return `update${subject(last)}`;
    case 'delete':
      return `delete${subject(last)}`;
    case 'post': {
      // An action: its last segment is the verb, applied to what precedes it.
      const action = pascal(last) || 'Post';
      return `${action[0]!.toLowerCase()}${action.slice(1)}${ownerNames}`;
    }
    default:
      return `${verb}${subject(last)}`;
  }
}

function answersList(operation: Operation): boolean {
  return Object.values(operation.responses?.['200']?.content ?? {}).some(
    (media) => media.schema?.type === 'array',
  );
}

/** Names every operation that has no `operationId` of its own; fails on a duplicate name. */
export function addOperationIds(document: OpenApiDocument): void {
  const paths = document.paths ?? {};
  const allPaths = Object.keys(paths);
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.operationId ??= deriveOperationId(method, path, operation, allPaths);
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(operation.operationId);
      if (other)
        throw new Error(
          `operationId "${operation.operationId}" of ${where} is also that of ${other}: give one of them schema.operationId`,
        );
      seen.set(operation.operationId, where);
    }
  }
}

const SCHEMA_REF = '#/components/schemas/';

/**
 * Errors are answered as `application/problem+json` (plugins/errors.ts), not as the
 * `application/json` the generator writes for every response schema: say so, so that a client
 * reading the document expects the media type it will receive.
 */
export function markProblemAnswers(document: OpenApiDocument): void {
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        const { content } = response;
        const json = content?.['application/json'];
        // Problem, or a problem with more fields (HealthProblem).
        const ref = json?.schema?.$ref ?? '';
        const isProblem = ref.startsWith(SCHEMA_REF) && ref.endsWith('Problem');
        if (!content || !json || !/^[45]/.test(status) || !isProblem) continue;
        delete content['application/json'];
        content['application/problem+json'] = json;
      }
    }
  }
}

function collectSchemaRefs(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSchemaRefs(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF)) {
        found.add(child.slice(SCHEMA_REF.length).replaceAll('~1', '/').replaceAll('~0', '~'));
      } else {
        collectSchemaRefs(child, found);
      }
    }
  }
}

/**
 * Keeps only the component schemas the operations reach. fastify-type-provider-zod emits every
 * schema of zod's global registry (those with `.meta({ id })`) twice, as read (`Problem`) and as
 * written (`ProblemInput`), whether or not an operation uses that side: a schema only ever sent
 * (`CreatePlan`) or only ever answered (`ProblemInput`) would be an unused component.
 */
export function dropUnusedSchemas(document: OpenApiDocument): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const { components, ...rest } = document;
  const used = new Set<string>();
  collectSchemaRefs({ ...rest, components: { ...components, schemas: undefined } }, used);
  const pending = [...used];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const reached = new Set<string>();
    collectSchemaRefs(schemas[name], reached);
    for (const next of reached) {
      if (used.has(next)) continue;
      used.add(next);
      pending.push(next);
    }
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

/** The document as other programs read it: named operations, and only the schemas they use. */
const transformObject: typeof jsonSchemaTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input);
  // An OpenAPI 3.1 document (the options below): these are the parts every step reads.
  const openapi = document as OpenApiDocument;
  addOperationIds(openapi);
  markProblemAnswers(openapi);
  dropUnusedSchemas(openapi);
  return document;
};

/** OpenAPI 3.1 generated from the routes' zod schemas, at /api/openapi.json and /api/docs. */
export default fp(
  async function openapiPlugin(app) {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Liaison API',
          description:
            'One shared network plan around a person who needs support, shared with each partner only as far as that person consented.',
          version: '0.1.0',
          // The project is private (package.json): no open licence is granted.
          license: { name: 'Proprietary, all rights reserved', identifier: 'LicenseRef-Proprietary' },
        },
        // Relative: the API is served by the same origin as the document, under /api.
        servers: [{ url: '/', description: 'The server that serves this document' }],
        components: {
          securitySchemes: {
            cookie: { type: 'apiKey', in: 'cookie', name: 'liaison_session' },
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
        security: [{ cookie: [] }, { bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
