import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { AUDIO_FILES_PATH, TAGS, AudioFileParams, asTenant, type VideoJobRouteDeps } from './common.js';

const AudioFileView = Type.Object({
  file_id: Type.String({ description: 'Audio file ID.' }),
  file_name: Type.Optional(Type.String({ description: 'Name given at creation.' })),
  state: Type.Union([Type.Literal('WAITING_UPLOAD'), Type.Literal('UPLOADED')], { description: 'Whether the bytes have arrived.' }),
  size: Type.Optional(Type.Integer({ description: 'Bytes uploaded.' })),
  audio_url: Type.String({ description: 'The address to put in shoot_script.audio_drive_file_external_url.' }),
  create_time: Type.String({ description: 'Creation time, RFC 3339.' }),
});

export function showAudioFileRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${AUDIO_FILES_PATH}/:file_id`,
    {
      schema: {
        operationId: 'ShowVideoAudioFile',
        summary: 'avatarforge extension: an audio file and whether its bytes arrived',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: AudioFileParams,
        response: { 200: AudioFileView, ...ERROR_RESPONSES },
      },
      preValidation: asTenant(deps, false),
    },
    (request) => deps.videoJobs.showAudioFile(request.jobScope, request.params.file_id),
  );
}
