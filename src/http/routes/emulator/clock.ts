import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { EMULATOR_PATH, EmulatorClockView, TAGS, type EmulatorRouteDeps } from './common.js';

export function emulatorShowClockRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${EMULATOR_PATH}/clock`,
    {
      schema: {
        operationId: 'EmulatorShowClock',
        summary: 'The virtual clock',
        tags: TAGS,
        security: SECURITY,
        response: { 200: EmulatorClockView, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    () => deps.emulator.clock(),
  );
}

export function emulatorAdvanceClockRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${EMULATOR_PATH}/clock/advance`,
    {
      schema: {
        operationId: 'EmulatorAdvanceClock',
        summary: 'Move the virtual clock forward (it drives signature skew, tokens, URL expiry, leases and after_seconds)',
        tags: TAGS,
        security: SECURITY,
        body: Type.Object(
          { seconds: Type.Number({ exclusiveMinimum: 0, maximum: 365 * 86400, description: 'Seconds to move forward.' }) },
          { additionalProperties: false },
        ),
        response: { 200: EmulatorClockView, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.emulator.advanceClock(request.body.seconds),
  );
}
