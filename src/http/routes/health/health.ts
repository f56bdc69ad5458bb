import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { GATEWAY_RESPONSES } from '../routeSchemas.js';

const HealthResponse = Type.Object({ status: Type.Literal('ok') });
const NotReady = Type.Object({ error_code: Type.String(), error_msg: Type.String() });

/** What `/` tells an API client: where the console and the API's description are. */
const Entry = Type.Object({ name: Type.Literal('avatarforge'), console: Type.String(), docs: Type.String(), openapi: Type.String() });

/**
 * `/`: a browser goes to the console; any other client gets a short JSON pointer to the console, the
 * interactive API docs and the OpenAPI document.
 */
export function rootRoute(app: FastifyInstance): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/',
    { schema: { summary: 'Where to start: the console, /docs and /openapi.json', tags: ['Operations'], response: { ...GATEWAY_RESPONSES, 200: Entry, 302: Type.Null() } } },
    async (request, reply) => {
      if ((request.headers.accept ?? '').includes('text/html')) return reply.redirect('/console', 302);
      return { name: 'avatarforge' as const, console: '/console', docs: '/docs', openapi: '/openapi.json' };
    },
  );
}

/** Liveness and readiness: the server answers these once the database is open and migrated. */
export function healthRoutes(app: FastifyInstance, isReady: () => Promise<boolean>): void {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['Operations'], response: { ...GATEWAY_RESPONSES, 200: HealthResponse } } }, async () => ({ status: 'ok' as const }));
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/readyz',
    { schema: { summary: 'Readiness (database reachable)', tags: ['Operations'], response: { ...GATEWAY_RESPONSES, 200: HealthResponse, 503: NotReady } } },
    async (_request, reply) => {
      if (await isReady()) return { status: 'ok' as const };
      return reply.status(503).send({ error_code: 'MSS.00000004', error_msg: 'Not ready' });
    },
  );
}
