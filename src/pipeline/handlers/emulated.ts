import type { ForcedOutcome } from '../../domain/emulatorSettings.js';
import type { StageName } from '../../domain/pipelineStages.js';
import type { StageHandler } from '../stageHandler.js';
import { newId } from '../../domain/ids.js';
import { emulatedVideoRender } from './emulatedVideo.js';

/**
 * The in-process runner's handlers in emulator mode: each stage ends as the emulator settings force
 * it (`succeed` without any media work, `fail` with the given message), or runs its real handler
 * (`real`). The settings are read when the stage runs, so a change applies to the next step.
 */
export function emulatedStageHandler(stage: StageName, real: StageHandler, outcomeOf: (stage: StageName) => ForcedOutcome): StageHandler {
  return async (context) => {
    const forced = outcomeOf(stage);
    switch (forced.outcome) {
      case 'real':
        return real(context);
      case 'fail':
        return { outcome: 'failed', reason: forced.message ?? `${stage} failed (emulated)`, ...(forced.error_code !== undefined && { errorCode: forced.error_code }) };
      case 'succeed':
        if (stage === 'video_render') return emulatedVideoRender(context);
        if (stage === 'asset_sync') {
          const assetId = newId();
          return { outcome: 'succeeded', attributes: { asset_id: assetId }, logDescription: forced.message ?? `model asset ${assetId} (emulated)` };
        }
        return { outcome: 'succeeded', ...(forced.message !== undefined && { logDescription: forced.message }) };
    }
  };
}
