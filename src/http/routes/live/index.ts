import type { FastifyInstance } from 'fastify';
import type { LiveRouteDeps } from './common.js';
import { createRoomRoute } from './createRoom.js';
import { showRoomRoute } from './showRoom.js';
import { listRoomsRoute } from './listRooms.js';
import { updateRoomRoute } from './updateRoom.js';
import { deleteRoomRoute } from './deleteRoom.js';
import { startJobRoute } from './startJob.js';
import { showJobRoute } from './showJob.js';
import { listJobsRoute } from './listJobs.js';
import { stopJobRoute } from './stopJob.js';
import { createDialogUrlRoute } from './createDialogUrl.js';
import { createOnceCodeRoute } from './createOnceCode.js';

/** MetaStudio's intelligent interaction (智能交互): rooms, jobs, dialog URLs and one-time codes; no media yet (docs/live-sessions.md). */
export function registerLiveRoutes(app: FastifyInstance, deps: LiveRouteDeps): void {
  createRoomRoute(app, deps);
  showRoomRoute(app, deps);
  listRoomsRoute(app, deps);
  updateRoomRoute(app, deps);
  deleteRoomRoute(app, deps);
  startJobRoute(app, deps);
  showJobRoute(app, deps);
  listJobsRoute(app, deps);
  stopJobRoute(app, deps);
  createDialogUrlRoute(app, deps);
  createOnceCodeRoute(app, deps);
}
