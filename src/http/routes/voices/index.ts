import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import { VOICES } from '../../../domain/voices/catalogue.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';

const VoiceView = Type.Object({
  voice_asset_id: Type.String({ description: 'What voice_config.voice_asset_id names to choose this voice.' }),
  language: Type.Union([Type.Literal('en-us'), Type.Literal('en-gb'), Type.Literal('zh')], { description: 'The language the voice was made for; every voice reads English, Mandarin and both mixed.' }),
  gender: Type.Union([Type.Literal('female'), Type.Literal('male')]),
  engine: Type.Union([Type.Literal('kokoro'), Type.Literal('espeak-ng')], { description: 'kokoro: a neural voice; espeak-ng: the formant fallback.' }),
  default_for: Type.Array(Type.Union([Type.Literal('en'), Type.Literal('zh')]), { description: 'Script languages this voice speaks when voice_asset_id is empty.' }),
});
const VoiceList = Type.Object({ count: Type.Integer(), voices: Type.Array(VoiceView) });

/** avatarforge's voices for TEXT scripts (an extension; docs/voices.md). */
export function registerVoiceRoutes(app: FastifyInstance, deps: { authenticate: Authenticate }): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/:project_id/voices',
    {
      schema: {
        operationId: 'ListVoices',
        summary: 'avatarforge extension: the voices that can say TEXT scripts',
        tags: ['Voices'],
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) }),
        response: { 200: VoiceList, ...ERROR_RESPONSES },
      },
      preValidation: authenticateAs('tenant', deps.authenticate, { expectsBody: false }),
    },
    async () => ({ count: VOICES.length, voices: VOICES.map((voice) => ({ ...voice })) }),
  );
}
