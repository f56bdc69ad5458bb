import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { EMULATOR_PATH, TAGS, type EmulatorRouteDeps } from './common.js';

export function emulatorResetRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${EMULATOR_PATH}/reset`,
    {
      schema: {
        operationId: 'EmulatorReset',
        summary: 'Delete every job with its files and work, restore the default settings and the system time (credentials stay)',
        tags: TAGS,
        security: SECURITY,
        response: { 200: Type.Object({ deleted_jobs: Type.Integer() }), ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    () => deps.emulator.reset(),
  );
}
