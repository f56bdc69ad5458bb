import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { systemClock } from '../clock.js';
import { ConfigError, type Config } from '../config.js';
import { fileBlobKey } from '../domain/fileKinds.js';
import { newId } from '../domain/ids.js';
import type { TrainingJob } from '../domain/trainingJob.js';
import { openServices } from '../server.js';
import { recordModelAsset } from '../domain/assets/producedAssets.js';

const execFileAsync = promisify(execFile);

export interface ImportModelOptions {
  dir: string;
  project: string;
  appUser?: string;
  name?: string;
}

/**
 * `avatarforge model import`: a model trained elsewhere (docs/model-format.md) becomes a finished
 * training job of a project, in JOB_SUCCESS with a model asset id, so that video jobs can use it and
 * its owner can download it. The renderer loads and checks the model first (regular files of the
 * format only, each decodable and of its declared shape): anything else is refused in one line.
 */
export async function importModel(options: ImportModelOptions, config: Config): Promise<{ jobId: string; assetId: string }> {
  const dir = path.resolve(options.dir);
  if (!/^[0-9a-f]{32}$/.test(options.project)) throw new ConfigError('--project must be a project id (32 lower-case hex digits)');
  let manifest: { background?: { width?: number; height?: number } };
  try {
    const { stdout } = await execFileAsync(config.referenceTrainer, ['check', '--model', dir], { maxBuffer: 16 * 1024 * 1024 });
    manifest = JSON.parse(stdout.trim().split('\n').at(-1)!) as typeof manifest;
  } catch (error) {
    // The trainer's last line is its reason (the lines before it, a bug's traceback, are for a log).
    const reason = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    throw new ConfigError(`${dir} is not a model the renderer can load: ${reason || (error instanceof Error ? error.message : String(error))}`);
  }
  const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'avatarforge-import-'));
  const services = await openServices(config, systemClock);
  try {
    const archive = path.join(scratch, 'compiled_model.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: dir }, await fsp.readdir(dir));
    const now = systemClock.now().getTime();
    const jobId = newId();
    const assetId = newId();
    const width = manifest.background?.width;
    const height = manifest.background?.height;
    const job: TrainingJob = {
      jobId,
      projectId: options.project,
      appUserId: options.appUser ?? null,
      name: options.name ?? path.basename(dir),
      state: 'JOB_SUCCESS',
      createTime: now,
      lastUpdateTime: now,
      version: 1,
      attributes: { asset_id: assetId, ...(width && height && { model_resolution: width > height ? String(height) : String(width) }) },
    };
    const fileVersion = newId();
    const blobKey = fileBlobKey(jobId, 'compiled_model', fileVersion);
    const blob = await services.blobs.put(blobKey, fs.createReadStream(archive), Number.MAX_SAFE_INTEGER);
    try {
      await services.jobs.transaction(async (repository) => {
        await repository.insertJob(job);
        await repository.putFile({ jobId, fileKind: 'compiled_model', fileVersion, blobKey, size: blob.size, etag: blob.md5, createdAt: now });
        await recordModelAsset(repository, job, now);
        await repository.appendOperationLog(jobId, { operateTime: now, logType: 'SYSTEM_JOB_SUCCESS', operateUser: 'SYSTEM', logDescription: `model imported from ${dir} (model asset ${assetId})` });
      });
    } catch (error) {
      await services.blobs.delete(blobKey).catch(() => undefined);
      throw error;
    }
    return { jobId, assetId };
  } finally {
    await services.db.destroy();
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}
