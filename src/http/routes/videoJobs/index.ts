import type { FastifyInstance } from 'fastify';
import { cancelVideoJobRoute } from './cancel.js';
import type { VideoJobRouteDeps } from './common.js';
import { createVideoJobRoute } from './create.js';
import { createAudioFileRoute } from './createAudioFile.js';
import { listVideoJobsRoute } from './list.js';
import { showVideoJobRoute } from './show.js';
import { showAudioFileRoute } from './showAudioFile.js';

/**
 * MetaStudio's 2D digital-human video jobs (Create, Show, Cancel, List), and avatarforge's audio
 * files for AUDIO scripts (an extension: the cloud takes audio from OBS URLs).
 */
export function registerVideoJobRoutes(app: FastifyInstance, deps: VideoJobRouteDeps): void {
  createVideoJobRoute(app, deps);
  showVideoJobRoute(app, deps);
  cancelVideoJobRoute(app, deps);
  listVideoJobsRoute(app, deps);
  createAudioFileRoute(app, deps);
  showAudioFileRoute(app, deps);
}
