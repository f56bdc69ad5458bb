import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { VideoJobService } from '../../../domain/videoJobService.js';
import {
  Create2DDigitalHumanVideoReq,
  Create2DDigitalHumanVideoResponse,
  ListDigitalHumanVideoQuery,
  ListDigitalHumanVideoResponse,
  Show2DDigitalHumanVideoResponse,
  ShowDigitalHumanVideoQuery,
} from '../../../domain/videoJobWire.js';
import { authenticateAs } from '../../plugins/authentication.js';
import { ERROR_RESPONSES, SECURITY } from '../routeSchemas.js';

export interface VideoJobRouteDeps {
  videoJobs: VideoJobService;
  authenticate: Authenticate;
}

const VIDEOS_PATH = '/v1/:project_id/2d-digital-human-videos';
const VIDEO_PATH = `${VIDEOS_PATH}/:job_id`;
const AUDIO_FILES_PATH = `${VIDEOS_PATH}/audio-files`;
const TAGS = ['2D digital-human video jobs'];

const ProjectParams = Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) });
const VideoParams = Type.Object({ ...ProjectParams.properties, job_id: Type.String({ description: 'Video job ID.' }) });
const AudioFileParams = Type.Object({ ...ProjectParams.properties, file_id: Type.String({ description: 'Audio file ID.' }) });

const AudioFileView = Type.Object({
  file_id: Type.String({ description: 'Audio file ID.' }),
  file_name: Type.Optional(Type.String({ description: 'Name given at creation.' })),
  state: Type.Union([Type.Literal('WAITING_UPLOAD'), Type.Literal('UPLOADED')], { description: 'Whether the bytes have arrived.' }),
  size: Type.Optional(Type.Integer({ description: 'Bytes uploaded.' })),
  audio_url: Type.String({ description: 'The address to put in shoot_script.audio_drive_file_external_url.' }),
  create_time: Type.String({ description: 'Creation time, RFC 3339.' }),
});

/**
 * MetaStudio's 2D digital-human video jobs (Create, Show, Cancel, List), and avatarforge's audio
 * files for AUDIO scripts (an extension: the cloud takes audio from OBS URLs).
 */
export function registerVideoJobRoutes(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tenant = (expectsBody: boolean) => authenticateAs('tenant', deps.authenticate, { expectsBody });

  api.post(
    VIDEOS_PATH,
    {
      schema: {
        operationId: 'Create2DDigitalHumanVideo',
        summary: 'Create a video job: a finished model says the scripts (text or audio)',
        tags: TAGS,
        security: SECURITY,
        params: ProjectParams,
        body: Create2DDigitalHumanVideoReq,
        response: { 200: Create2DDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: tenant(true),
    },
    (request) => deps.videoJobs.create(request.jobScope, request.body, request.headers.host),
  );

  api.get(
    VIDEO_PATH,
    {
      schema: {
        operationId: 'Show2DDigitalHumanVideo',
        summary: 'Show a video job; when it SUCCEEDed, 24-hour URLs of the video and its cover',
        tags: TAGS,
        security: SECURITY,
        params: VideoParams,
        querystring: ShowDigitalHumanVideoQuery,
        response: { 200: Show2DDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: tenant(false),
    },
    (request) => deps.videoJobs.show(request.jobScope, request.params.job_id, request.query.show_script === true),
  );

  api.post(
    `${VIDEO_PATH}/cancel`,
    {
      schema: {
        operationId: 'Cancel2DDigitalHumanVideo',
        summary: 'Cancel a WAITING or PROCESSING video job',
        tags: TAGS,
        security: SECURITY,
        params: VideoParams,
        response: { 200: Type.Object({}, { description: 'Always `{}`.' }), ...ERROR_RESPONSES },
      },
      // The SDKs send no body (Content-Length: 0) with a JSON content type.
      preValidation: tenant(false),
    },
    async (request) => {
      await deps.videoJobs.cancel(request.jobScope, request.params.job_id);
      return {};
    },
  );

  api.get(
    '/v1/:project_id/digital-human-videos',
    {
      schema: {
        operationId: 'ListDigitalHumanVideo',
        summary: 'List video jobs (the last month unless create_since or create_until is given)',
        tags: TAGS,
        security: SECURITY,
        params: ProjectParams,
        querystring: ListDigitalHumanVideoQuery,
        response: { 200: ListDigitalHumanVideoResponse, ...ERROR_RESPONSES },
      },
      preValidation: tenant(false),
    },
    (request) => deps.videoJobs.list(request.jobScope, request.query),
  );

  api.post(
    AUDIO_FILES_PATH,
    {
      schema: {
        operationId: 'CreateVideoAudioFile',
        summary: 'avatarforge extension: an upload URL for an audio file that AUDIO scripts can name',
        tags: TAGS,
        security: SECURITY,
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
      preValidation: tenant(true),
    },
    (request) => deps.videoJobs.createAudioFile(request.jobScope, request.body.file_name),
  );

  api.get(
    `${AUDIO_FILES_PATH}/:file_id`,
    {
      schema: {
        operationId: 'ShowVideoAudioFile',
        summary: 'avatarforge extension: an audio file and whether its bytes arrived',
        tags: TAGS,
        security: SECURITY,
        params: AudioFileParams,
        response: { 200: AudioFileView, ...ERROR_RESPONSES },
      },
      preValidation: tenant(false),
    },
    (request) => deps.videoJobs.showAudioFile(request.jobScope, request.params.file_id),
  );
}
