import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { VideoJobService } from '../../../domain/videoJobService.js';
import { authenticateAs } from '../../plugins/authentication.js';

export interface VideoJobRouteDeps {
  videoJobs: VideoJobService;
  authenticate: Authenticate;
}

export const VIDEOS_PATH = '/v1/:project_id/2d-digital-human-videos';
export const VIDEO_PATH = `${VIDEOS_PATH}/:job_id`;
export const AUDIO_FILES_PATH = `${VIDEOS_PATH}/audio-files`;
export const TAGS = ['2D digital-human video jobs'];

export const ProjectParams = Type.Object({ project_id: Type.String({ description: "Tenant's project ID (must be the credential's project)." }) });
export const VideoParams = Type.Object({ ...ProjectParams.properties, job_id: Type.String({ description: 'Video job ID.' }) });
export const AudioFileParams = Type.Object({ ...ProjectParams.properties, file_id: Type.String({ description: 'Audio file ID.' }) });

/** Tenant authentication; the SDKs send Cancel and the GETs without a body. */
export const asTenant = (deps: VideoJobRouteDeps, expectsBody: boolean) => authenticateAs('tenant', deps.authenticate, { expectsBody });
