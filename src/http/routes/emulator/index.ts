import type { FastifyInstance } from 'fastify';
import { emulatorAdvanceClockRoute, emulatorShowClockRoute } from './clock.js';
import type { EmulatorRouteDeps } from './common.js';
import { emulatorReleaseJobRoute } from './release.js';
import { emulatorResetRoute } from './reset.js';
import { emulatorReplaceSettingsRoute, emulatorShowSettingsRoute } from './settings.js';

/** The emulator control API (docs/emulator.md); app.ts registers it only in emulator mode. */
export function registerEmulatorRoutes(app: FastifyInstance, deps: EmulatorRouteDeps): void {
  emulatorShowSettingsRoute(app, deps);
  emulatorReplaceSettingsRoute(app, deps);
  emulatorReleaseJobRoute(app, deps);
  emulatorShowClockRoute(app, deps);
  emulatorAdvanceClockRoute(app, deps);
  emulatorResetRoute(app, deps);
}
