import { sql } from 'kysely';
import type { SupportedService } from '../../src/domain/assets/assetWire.js';
import { newId } from '../../src/domain/ids.js';
import type { RunningServer } from '../../src/server.js';
import { TEST_PROJECT_ID } from './testServer.js';

/**
 * A training job made finished in the database and its model asset, as JOB_SUCCESS leaves them (no
 * pipeline run needed), with the `supportedService` a test wants. Returns the asset's id.
 */
export async function finishedModel(
  server: RunningServer,
  trainingJobId: string,
  name: string,
  supportedService: SupportedService[] | null,
  options: { appUserId?: string; projectId?: string } = {},
): Promise<string> {
  const assetId = newId();
  await sql`UPDATE training_jobs SET state = 'JOB_SUCCESS', asset_id = ${assetId}, version = version + 1 WHERE job_id = ${trainingJobId}`.execute(server.services.db);
  const at = Date.now();
  await server.services.jobs.insertAsset({
    assetId,
    projectId: options.projectId ?? TEST_PROJECT_ID,
    appUserId: options.appUserId ?? null,
    assetName: name,
    assetDescription: null,
    assetType: 'HUMAN_MODEL_2D',
    assetState: 'ACTIVED',
    stateBeforeDelete: null,
    deletedAt: null,
    reason: null,
    origin: 'TRAINING_JOB',
    sourceJobId: trainingJobId,
    assetOrder: 0,
    tags: [],
    supportedService,
    systemProperties: null,
    extraMeta: null,
    createTime: at,
    updateTime: at,
    version: 1,
  });
  return assetId;
}
