import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const HealthResponse = Type.Object({ status: Type.Literal('ok') });
const NotReady = Type.Object({ error_code: Type.String(), error_msg: Type.String() });

/** Liveness and readiness: the server answers these once the database is open and migrated. */
export function healthRoutes(app: FastifyInstance, isReady: () => Promise<boolean>): void {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['Operations'], response: { 200: HealthResponse } } }, async () => ({ status: 'ok' as const }));
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/readyz',
    { schema: { summary: 'Readiness (database reachable)', tags: ['Operations'], response: { 200: HealthResponse, 503: NotReady } } },
    async (_request, reply) => {
      if (await isReady()) return { status: 'ok' as const };
      return reply.status(503).send({ error_code: 'MSS.00000004', error_msg: 'Not ready' });
    },
  );
}
