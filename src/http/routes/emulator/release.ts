import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { EMULATOR_PATH, TAGS, type EmulatorRouteDeps } from './common.js';

const ReleaseResult = Type.Object({
  job_id: Type.String(),
  state: Type.String({ description: 'The job\'s state when it was released.' }),
  released_steps: Type.Integer({ description: 'Steps let through: the job\'s queued stage work, or its pending automatic review.' }),
});

export function emulatorReleaseJobRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${EMULATOR_PATH}/jobs/:job_id/release`,
    {
      schema: {
        operationId: 'EmulatorReleaseJob',
        summary: 'Let the job\'s pending step happen now, whatever its progress mode (hold, after_reads, after_seconds)',
        tags: TAGS,
        security: SECURITY,
        params: Type.Object({ job_id: Type.String({ description: 'Training job ID (of any project).' }) }),
        response: { 200: ReleaseResult, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    (request) => deps.emulator.release(request.params.job_id),
  );
}
