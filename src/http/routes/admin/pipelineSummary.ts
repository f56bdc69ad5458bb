import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import { PipelineSummary, type PipelineSummaryService } from '../../../domain/pipelineSummary.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { TAGS } from './common.js';

export const PIPELINE_SUMMARY_PATH = '/v1/admin/pipeline/summary';

export function adminPipelineSummaryRoute(app: FastifyInstance, deps: { pipelineSummary: PipelineSummaryService; authenticate: Authenticate }): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    PIPELINE_SUMMARY_PATH,
    {
      schema: {
        operationId: 'AdminShowPipelineSummary',
        summary: 'The pipeline at a glance: jobs per state, the review queue, stage work and durations, recent failures',
        tags: TAGS,
        security: SECURITY,
        response: { 200: PipelineSummary, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    () => deps.pipelineSummary.summary(),
  );
}
