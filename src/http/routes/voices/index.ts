import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import { VOICES } from '../../../domain/voices/catalogue.js';
import type { VoiceSamples } from '../../../domain/voices/samples.js';
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

const ProjectParams = Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) });

/** avatarforge's voices for TEXT scripts, and a spoken sample of each (an extension; docs/voices.md). */
export function registerVoiceRoutes(app: FastifyInstance, deps: { authenticate: Authenticate; samples: VoiceSamples }): void {
  const asTenant = authenticateAs('tenant', deps.authenticate, { expectsBody: false });
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/:project_id/voices',
    {
      schema: {
        operationId: 'ListVoices',
        summary: 'avatarforge extension: the voices that can say TEXT scripts',
        tags: ['Voices'],
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        response: { 200: VoiceList, ...ERROR_RESPONSES },
      },
      preValidation: asTenant,
    },
    async () => ({ count: VOICES.length, voices: VOICES.map((voice) => ({ ...voice })) }),
  );

  // Without the TypeBox type provider: the answer is a stream, which the typed reply does not take.
  app.get<{ Params: { project_id: string; voice_asset_id: string } }>(
    '/v1/:project_id/voices/:voice_asset_id/sample',
    {
      schema: {
        operationId: 'ShowVoiceSample',
        summary: 'avatarforge extension: a few seconds of the voice speaking, as a WAV (made once, then kept)',
        tags: ['Voices'],
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: Type.Object({ ...ProjectParams.properties, voice_asset_id: Type.String({ description: 'A voice of GET /v1/{project_id}/voices.' }) }),
        response: {
          200: { description: 'The sample.', content: { 'audio/wav': { schema: Type.String({ format: 'binary' }) } } },
          ...ERROR_RESPONSES,
          503: { ...ERROR_RESPONSES[500], description: 'The voice could not speak its sample (the server log says why).' },
        },
      },
      preValidation: asTenant,
    },
    async (request, reply) => {
      const voice = request.params.voice_asset_id;
      const file = await deps.samples.sample(voice, (error) => request.log.error({ err: error, voice }, 'a voice sample could not be made'));
      const stat = await fs.promises.stat(file);
      reply.header('Content-Type', 'audio/wav').header('Content-Length', String(stat.size)).header('Cache-Control', 'private, max-age=86400');
      return reply.send(fs.createReadStream(file));
    },
  );
}
