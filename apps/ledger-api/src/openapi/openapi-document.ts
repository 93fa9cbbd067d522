import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import canonicalize from 'canonicalize';
import { IS_IP, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { MetadataStorage as ClassTransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { version as PRODUCT_VERSION } from '../../../../package.json';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../access/roles';
import { Role } from '@ledger/core';
import { PROBLEM_MEDIA_TYPE } from '../shared/problem-details';
import { REQUEST_BODY_DOCUMENTATION, RequestBodyDocumentation } from './request-body.decorator';

// class-transformer ships no typings for this deep import; its @Type metadata describes nested DTOs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: ClassTransformerMetadataStorage };

type Schema = Record<string, unknown>;
type Operation = Record<string, any>;

export const OPENAPI_JSON_PATH = '/docs/json';
const SECURITY_SCHEME = 'apiKey';
const SCHEMA_PREFIX = '#/components/schemas/';

const SCHEMA_OPTIONS: Parameters<typeof targetConstructorToSchema>[1] = {
  classTransformerMetadataStorage: defaultMetadataStorage,
  refPointerPrefix: SCHEMA_PREFIX,
  additionalConverters: {
    [ValidationTypes.IS_DEFINED]: {},
    IS_RFC3339_DATE_TIME: { type: 'string', format: 'date-time' },
    [IS_IP]: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
  },
};

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details: the one shape of every error answer.',
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'urn:assurance-ledger:problem:invalid-request' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'the last segment of `type`', example: 'invalid-request' },
    errors: {
      type: 'array',
      description: 'one entry per wrong field; batches add the index of the event',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: { field: { type: 'string' }, reason: { type: 'string' }, index: { type: 'integer' } },
      },
    },
    instance: { type: 'string', description: 'the request path' },
    requestId: { type: 'string', description: 'the request id, also in the `x-request-id` answer header and in the log' },
  },
  additionalProperties: true,
};

/** Answers every operation may give, besides its own success. */
const COMMON_ERRORS: Record<string, string> = {
  '400': 'invalid request: `errors[]` names each field and the reason',
  '429': 'the API key used up its rate limit; see `Retry-After`',
  '503': 'the store or the read models cannot answer now; see `Retry-After`',
};
const KEYED_ERRORS: Record<string, string> = {
  '401': 'no API key, or not a valid one',
  '403': "the key holds none of the route's roles",
};

interface DescribedRoute {
  method: string;
  path: string;
  roles: Role[] | 'public';
  query?: new () => object;
  params?: new () => object;
  body?: RequestBodyDocumentation;
}

/** Every route Nest serves, with what its metadata says about access and input. */
function describeRoutes(app: INestApplication): DescribedRoute[] {
  const routes: DescribedRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as new (...args: unknown[]) => object;
      const prefix = [Reflect.getMetadata(PATH_METADATA, controller)].flat()[0] as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || typeof handler !== 'function') continue;
        const isPublic = Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller);
        const roles: Role[] = Reflect.getMetadata(REQUIRED_ROLES, handler) ?? Reflect.getMetadata(REQUIRED_ROLES, controller) ?? ['admin'];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number }>;
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as Array<new () => object>;
        const typeOf = (kind: RouteParamtypes) => {
          const entry = Object.entries(args).find(([key]) => key.split(':')[0] === String(kind));
          const type = entry && types[entry[1].index];
          return type && type !== Object ? type : undefined;
        };
        for (const path of [Reflect.getMetadata(PATH_METADATA, handler)].flat() as string[]) {
          const full = `/${[prefix, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/');
          routes.push({
            method: RequestMethod[method].toLowerCase(),
            path: full.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
            roles: isPublic ? 'public' : roles,
            query: typeOf(RouteParamtypes.QUERY),
            params: typeOf(RouteParamtypes.PARAM),
            body: Reflect.getMetadata(REQUEST_BODY_DOCUMENTATION, handler),
          });
        }
      }
    }
  }
  return routes;
}

function objectSchema(target: new () => object): Schema {
  return targetConstructorToSchema(target, SCHEMA_OPTIONS) as Schema;
}

/** Classes a DTO's properties are transformed into (`@Type(() => Nested)`), up its prototype chain. */
function nestedClassesOf(dto: new () => object): Array<new () => object> {
  const byTarget = (defaultMetadataStorage as unknown as { _typeMetadatas: Map<unknown, Map<string, { typeFunction: () => unknown }>> })
    ._typeMetadatas;
  const found: Array<new () => object> = [];
  for (let target: unknown = dto; typeof target === 'function' && target !== Function.prototype; target = Object.getPrototypeOf(target)) {
    for (const metadata of byTarget.get(target)?.values() ?? []) {
      const nested = metadata.typeFunction();
      if (typeof nested === 'function' && ![Number, String, Boolean, Date, Object].includes(nested as never))
        found.push(nested as new () => object);
    }
  }
  return found;
}

function referencedNames(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(referencedNames);
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.entries(schema).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_PREFIX)
      ? [value.slice(SCHEMA_PREFIX.length)]
      : referencedNames(value),
  );
}

/** Query or path parameters from a DTO: one parameter per property, with its JSON Schema. */
function parametersOf(dto: new () => object, where: 'query' | 'path'): Operation[] {
  const schema = objectSchema(dto);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

/**
 * The OpenAPI 3 document of the running application. Swagger reads the routes;
 * roles, parameters and bodies come from the same metadata the guard and the
 * validation use (class-validator through class-validator-jsonschema), so the
 * document cannot drift from what the API enforces. Keys are sorted, so the
 * same code gives the same bytes whoever generates it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Assurance Ledger')
    .setDescription(
      'Event-sourced, tamper-evident ledger for passwordless authentication. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`). Every route but health, metrics and this document needs an API key: ' +
        '`Authorization: Bearer alk_…`; each operation lists the roles that may call it.',
    )
    .setVersion(PRODUCT_VERSION)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'alk_<id>_<secret>',
        description: 'An API key, sent as a bearer token. Create one with `npm run ledger -- keys create`.',
      },
      SECURITY_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  const schemas: Record<string, Schema> = { ProblemDetails: PROBLEM_SCHEMA };
  const pending: Array<new () => object> = [];

  for (const route of describeRoutes(app)) {
    const operation: Operation | undefined = (document.paths[route.path] as Record<string, Operation> | undefined)?.[route.method];
    if (!operation) continue;
    const parameters = [
      ...(route.params ? parametersOf(route.params, 'path') : []),
      ...(route.query ? parametersOf(route.query, 'query') : []),
    ];
    const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const name of pathNames) {
      if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name))
        parameters.unshift({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
    operation.parameters = parameters;
    operation.tags = [route.path.split('/').filter((part) => part && part !== 'v1')[0] ?? 'ledger'];
    for (const response of Object.values((operation.responses ?? {}) as Record<string, { description?: string }>))
      response.description ||= 'success';
    delete operation.requestBody;
    if (route.body) {
      pending.push(route.body.dto);
      const ref = { $ref: `${SCHEMA_PREFIX}${route.body.dto.name}` };
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(
          Object.entries(route.body.mediaTypes ?? {}).map(([mediaType, shape]) => [
            mediaType,
            { schema: shape === 'array' ? { type: 'array', items: ref } : ref },
          ]),
        ),
      };
    }

    const problemResponse = (description: string) => ({
      description,
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${SCHEMA_PREFIX}ProblemDetails` } } },
    });
    operation.responses = {
      ...operation.responses,
      ...Object.fromEntries(Object.entries(COMMON_ERRORS).map(([status, description]) => [status, problemResponse(description)])),
      ...(route.roles === 'public'
        ? {}
        : Object.fromEntries(Object.entries(KEYED_ERRORS).map(([status, description]) => [status, problemResponse(description)]))),
    };
    if (route.roles === 'public') {
      operation.security = [];
      operation['x-roles'] = 'public';
    } else {
      operation.security = [{ [SECURITY_SCHEME]: [] }];
      operation['x-roles'] = route.roles;
      operation.description = [operation.description, `Roles: ${route.roles.join(', ')}.`].filter(Boolean).join('\n\n');
    }
  }

  // Body DTOs and the DTOs they nest (named by class-transformer's @Type), each once, under its class name.
  for (let dto = pending.pop(); dto !== undefined; dto = pending.pop()) {
    if (schemas[dto.name]) continue;
    schemas[dto.name] = objectSchema(dto);
    const nested = new Map(nestedClassesOf(dto).map((nestedClass) => [nestedClass.name, nestedClass]));
    for (const name of referencedNames(schemas[dto.name])) {
      const nestedClass = nested.get(name);
      if (nestedClass && !schemas[name]) pending.push(nestedClass);
    }
  }
  document.components = { ...document.components, schemas };
  return JSON.parse(canonicalize(document)!) as OpenAPIObject;
}

/** The document as committed in `docs/openapi.json`: sorted keys, two-space indent, a final newline. */
export function openApiJson(app: INestApplication): string {
  return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
}

/** swagger-ui-dist as @nestjs/swagger itself resolves it (it is that package's dependency, not ours). */
function swaggerUiAssets(): string {
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }));
}

const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const SWAGGER_UI_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Assurance Ledger API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script><script src="/docs/swagger-ui-init.js"></script>
</body>
</html>
`;

const SWAGGER_UI_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '${OPENAPI_JSON_PATH}', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
};
`;

/**
 * Swagger UI at `/docs` and the document at `/docs/json` (and `/docs/yaml`),
 * all public: the API's shape is no secret, its data is. The UI's files are
 * served from swagger-ui-dist by plain routes rather than through
 * `@fastify/static`, and its start script is a file, not inline, so the
 * API's content security policy holds on these pages too.
 */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    ui: false,
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/docs/yaml',
  });
  const fastify = app.getHttpAdapter().getInstance();
  const assets = swaggerUiAssets();
  // Swagger UI draws its icons from data: URLs and sets inline styles; scripts stay limited to 'self'.
  const policy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
  fastify.get('/docs', (_request, reply) =>
    reply.header('content-security-policy', policy).type('text/html; charset=utf-8').send(SWAGGER_UI_PAGE),
  );
  fastify.get('/docs/swagger-ui-init.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SWAGGER_UI_INIT));
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=86400')
        .type(type)
        .send(createReadStream(join(assets, file))),
    );
  }
}
