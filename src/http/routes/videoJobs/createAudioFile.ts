import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { APP_USER_HEADERS, ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';
import { AUDIO_FILES_PATH, TAGS, ProjectParams, asTenant, type VideoJobRouteDeps } from './common.js';

export function createAudioFileRoute(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    AUDIO_FILES_PATH,
    {
      schema: {
        operationId: 'CreateVideoAudioFile',
        summary: 'avatarforge extension: an upload URL for an audio file that AUDIO scripts can name',
        tags: TAGS,
        security: SECURITY,
        headers: APP_USER_HEADERS,
        params: ProjectParams,
        body: Type.Object({ file_name: Type.Optional(Type.String({ maxLength: 256, description: 'A name to remember the file by.' })) }),
        response: {
          200: Type.Object({
            file_id: Type.String({ description: 'Audio file ID.' }),
            audio_url: Type.String({ description: 'The address to put in shoot_script.audio_drive_file_external_url.' }),
            upload_url: Type.String({ description: 'Single-use URL: PUT the audio bytes (any format ffmpeg reads) to it.' }),
            upload_url_expires_at: Type.String({ description: 'When the upload URL expires, RFC 3339.' }),
          }),
          ...ERROR_RESPONSES,
        },
      },
      preValidation: asTenant(deps, true),
    },
    (request) => deps.videoJobs.createAudioFile(request.jobScope, request.body.file_name),
  );
}
