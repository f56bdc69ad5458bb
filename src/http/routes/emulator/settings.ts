import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { EmulatorSettings, EmulatorSettingsInput } from '../../../domain/emulatorSettings.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { EMULATOR_PATH, TAGS, type EmulatorRouteDeps } from './common.js';

export function emulatorShowSettingsRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${EMULATOR_PATH}/settings`,
    {
      schema: {
        operationId: 'EmulatorShowSettings',
        summary: 'The emulator settings: progress mode and forced outcome of every stage family',
        tags: TAGS,
        security: SECURITY,
        response: { 200: EmulatorSettings, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: false }),
    },
    () => deps.emulator.settings(),
  );
}

export function emulatorReplaceSettingsRoute(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put(
    `${EMULATOR_PATH}/settings`,
    {
      schema: {
        operationId: 'EmulatorReplaceSettings',
        summary: 'Replace the emulator settings (families left out take the defaults: immediate, real)',
        tags: TAGS,
        security: SECURITY,
        body: EmulatorSettingsInput,
        response: { 200: EmulatorSettings, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('admin', deps.authenticate, { expectsBody: true }),
    },
    (request) => deps.emulator.replaceSettings(request.body),
  );
}
