import type { FastifyBaseLogger } from 'fastify';
import type { EmulatorService } from '../domain/emulatorService.js';

/**
 * The emulator's stand-in for a human reviewer: every round it lets the emulator approve or reject
 * the jobs in MANUAL_VERIFYING whose review is due (manual_review settings). A plain poll, like the
 * pipeline runner's, so that clock advances and Show calls are noticed without hooks.
 */
export function startEmulatedReviewer(emulator: EmulatorService, logger: FastifyBaseLogger, pollIntervalMs: number): { stop(): Promise<void> } {
  let round: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    round = round
      .then(async () => {
        if (stopped) return;
        const decided = await emulator.settleReviews();
        if (decided > 0) logger.info({ decided }, 'emulator decided reviews');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'emulated review round failed'));
  }, pollIntervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}
