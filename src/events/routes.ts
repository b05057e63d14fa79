// Endpoint subscriptions over HTTP, both trees (spec-gaps.md items 1, 19, 25):
//
//   OPCP  /v1/webhook/endpoints            POST (201), GET
//         /v1/webhook/endpoints/:id        GET, PUT, DELETE (200)
//   OPNC  /opnc/v1/event/endpoints         the same operations; also under the spec's doubled prefix
//         /opnc/v1/event/opnc/v1/event/endpoints (server URL + path, item 1)
//
// Roles OEM, CPO, MO, CPS (OPCP docs/04_authentication.md, WEBHOOK rows) and ADMIN. The logic and the
// access rules are in ./endpoints.ts; this module only binds them.

import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import type { RouteModule } from '../http/server.ts';
import { type EndpointInput, type EndpointService, endpointView } from './endpoints.ts';
import { SUBSCRIBABLE_EVENT_NAMES, type Tree } from './vocabulary.ts';

export const ENDPOINT_BODY_LIMIT = 64 * 1024;

export const ENDPOINT_PATHS: Readonly<Record<Tree, readonly string[]>> = {
  opcp: ['/v1/webhook/endpoints'],
  opnc: ['/opnc/v1/event/endpoints', '/opnc/v1/event/opnc/v1/event/endpoints'],
};

const stringList = { type: 'array', items: { type: 'string' } } as const;

const endpointRequestSchema = {
  type: 'object',
  properties: {
    url: {
      type: 'string',
      description: 'https URL of the receiver (http only with PNC_WEBHOOK_ALLOW_HTTP=1)',
    },
    enabledEvents: {
      ...stringList,
      description: `Event names, either vocabulary: ${SUBSCRIBABLE_EVENT_NAMES.join(', ')}`,
    },
    events: { ...stringList, description: 'Same as enabledEvents (OPCP PR #19 name)' },
    wmi: { ...stringList, description: 'WMI filter (OPNC name); within the caller scope' },
    wmis: { ...stringList, description: 'WMI filter; within the caller scope' },
    providerIds: { ...stringList, description: 'Provider ID filter; within the caller scope' },
    description: { type: 'string' },
    metadata: { type: 'object' },
    status: { type: 'string', enum: ['enabled', 'disabled'] },
    apiVersion: { type: 'string' },
    secret: {
      type: 'string',
      description: 'Optional signing secret (16-256 characters); generated when absent',
    },
  },
} as const;

const endpointResponseSchema = {
  type: 'object',
  required: ['id', 'created', 'enabledEvents', 'url'],
  properties: {
    id: { type: 'string' },
    apiVersion: { type: 'string' },
    created: { type: 'integer' },
    description: { type: 'string' },
    enabledEvents: stringList,
    events: stringList,
    metadata: { type: 'object', additionalProperties: true },
    status: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    providerIds: stringList,
    wmis: stringList,
    wmi: stringList,
    userRole: { type: 'string' },
    userName: { type: 'string' },
  },
} as const;

const errorSchema = {
  type: 'object',
  properties: { errorMessages: stringList, traceId: { type: 'string' } },
} as const;

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema } as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

export interface EventRoutesDeps {
  readonly endpoints: EndpointService;
  readonly auth: Pick<Auth, 'requireAuth'>;
}

function registerTree(app: FastifyInstance, deps: EventRoutesDeps, tree: Tree, base: string): void {
  const onRequest: onRequestAsyncHookHandler = deps.auth.requireAuth({
    roles: ['OEM', 'CPO', 'MO', 'CPS', 'ADMIN'],
  });
  const tags = [tree === 'opcp' ? 'webhooks (OPCP)' : 'event (OPNC)'];
  app.post<{ Body: EndpointInput }>(
    base,
    {
      bodyLimit: ENDPOINT_BODY_LIMIT,
      onRequest,
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        body: endpointRequestSchema,
        response: { 201: endpointResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await deps.endpoints.create(principalOf(request), request.body, tree);
      return reply.code(201).send(endpointView(created, tree, true));
    },
  );
  app.get(
    base,
    {
      onRequest,
      schema: {
        tags,
        summary: 'List the webhook endpoints of the caller',
        response: { 200: { type: 'array', items: endpointResponseSchema }, ...errors },
      },
    },
    async (request) => {
      const list = await deps.endpoints.list(principalOf(request));
      return list.map((e) => endpointView(e, tree, false));
    },
  );
  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      onRequest,
      schema: {
        tags,
        summary: 'Get a webhook endpoint (with its secret)',
        params: idParams,
        response: { 200: endpointResponseSchema, ...errors },
      },
    },
    async (request) =>
      endpointView(await deps.endpoints.get(principalOf(request), request.params.id), tree, true),
  );
  app.put<{ Params: { id: string }; Body: EndpointInput }>(
    `${base}/:id`,
    {
      bodyLimit: ENDPOINT_BODY_LIMIT,
      onRequest,
      schema: {
        tags,
        summary: 'Update a webhook endpoint (the fields given)',
        params: idParams,
        body: endpointRequestSchema,
        response: { 200: endpointResponseSchema, ...errors },
      },
    },
    async (request) =>
      endpointView(
        await deps.endpoints.update(principalOf(request), request.params.id, request.body),
        tree,
        false,
      ),
  );
  app.delete<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      onRequest,
      schema: { tags, summary: 'Delete a webhook endpoint', params: idParams, response: { ...errors } },
    },
    async (request, reply) => {
      await deps.endpoints.delete(principalOf(request), request.params.id);
      return reply.code(200).send();
    },
  );
}

export function eventRoutes(deps: EventRoutesDeps): RouteModule {
  return {
    name: 'events',
    register(app) {
      for (const tree of ['opcp', 'opnc'] as const) {
        for (const base of ENDPOINT_PATHS[tree]) registerTree(app, deps, tree, base);
      }
    },
  };
}
