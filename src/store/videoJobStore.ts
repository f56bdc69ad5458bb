import type { Kysely, Selectable } from 'kysely';
import { numberOrNull } from './dialect.js';
import type { AudioFile, VideoJob, VideoJobRepository, VideoJobRequest } from '../domain/videoJob.js';
import type { VideoJobState, VideoJobType } from '../domain/videoJobWire.js';
import { contains } from './contains.js';
import type { DatabaseSchema, VideoJobsTable } from './schema.js';

/** Video jobs and uploaded audio files in SQL; scoped reads filter by project, and app user when given. */
export function createVideoJobRepository(db: Kysely<DatabaseSchema>): VideoJobRepository {
  return {
    async insertVideoJob(job) {
      await db.insertInto('video_jobs').values(toRow(job)).execute();
    },

    async findVideoJob(scope, jobId) {
      let query = db.selectFrom('video_jobs').selectAll().where('job_id', '=', jobId).where('project_id', '=', scope.projectId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      return row && toVideoJob(row);
    },

    async findVideoJobById(jobId) {
      const row = await db.selectFrom('video_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
      return row && toVideoJob(row);
    },

    async updateVideoJob(job, expectedVersion) {
      const { job_id: _jobId, project_id: _projectId, create_time: _createTime, ...changes } = toRow(job);
      const result = await db.updateTable('video_jobs').set(changes).where('job_id', '=', job.jobId).where('version', '=', expectedVersion).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async listVideoJobs(filter) {
      let query = db.selectFrom('video_jobs').where('project_id', '=', filter.scope.projectId);
      if (filter.scope.appUserId !== undefined) query = query.where('app_user_id', '=', filter.scope.appUserId);
      if (filter.states) query = query.where('state', 'in', filter.states);
      if (filter.createSince !== undefined) query = query.where('create_time', '>=', filter.createSince);
      if (filter.createUntil !== undefined) query = query.where('create_time', '<=', filter.createUntil);
      if (filter.scriptId !== undefined) query = query.where('script_id', '=', filter.scriptId);
      if (filter.jobType !== undefined) query = query.where('job_type', '=', filter.jobType);
      if (filter.jobIds !== undefined) query = query.where('job_id', 'in', filter.jobIds.length > 0 ? filter.jobIds : ['']);
      if (filter.jobIdContains !== undefined) query = query.where(contains('job_id', filter.jobIdContains));
      if (filter.assetName !== undefined) {
        query = filter.assetName.fuzzy
          ? query.where(contains('asset_name', filter.assetName.value))
          : query.where('asset_name', '=', filter.assetName.value);
      }
      const counted = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      const rows =
        filter.limit === 0
          ? []
          : await query
              .selectAll()
              .orderBy(SORT_COLUMNS[filter.sortKey], filter.sortDir)
              .orderBy('job_id', filter.sortDir)
              .offset(filter.offset)
              .limit(filter.limit)
              .execute();
      return { count: Number(counted.count), jobs: rows.map(toVideoJob) };
    },

    async findJobByAssetId(scope, assetId) {
      let query = db.selectFrom('training_jobs').select(['job_id', 'state']).where('project_id', '=', scope.projectId).where('asset_id', '=', assetId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      return row && { jobId: row.job_id, state: row.state };
    },

    async insertAudioFile(file) {
      await db
        .insertInto('audio_files')
        .values({ file_id: file.fileId, project_id: file.projectId, app_user_id: file.appUserId, file_name: file.fileName, created_at: file.createdAt })
        .execute();
    },

    async deleteAllVideoJobsAndAudioFiles() {
      const videos = await db.selectFrom('video_jobs').select('job_id').execute();
      const audio = await db.selectFrom('audio_files').select('file_id').execute();
      const ids = [...videos.map((row) => row.job_id), ...audio.map((row) => row.file_id)];
      for (const table of ['job_files', 'upload_slots', 'stage_work'] as const) {
        for (let start = 0; start < ids.length; start += 500) await db.deleteFrom(table).where('job_id', 'in', ids.slice(start, start + 500)).execute();
      }
      await db.deleteFrom('video_jobs').execute();
      await db.deleteFrom('audio_files').execute();
      return ids;
    },

    async findAudioFile(scope, fileId) {
      let query = db.selectFrom('audio_files').selectAll().where('file_id', '=', fileId).where('project_id', '=', scope.projectId);
      if (scope.appUserId !== undefined) query = query.where('app_user_id', '=', scope.appUserId);
      const row = await query.executeTakeFirst();
      return row && toAudioFile(row);
    },

    async storedAudioBytesBeside(fileId) {
      const row = await db
        .selectFrom('job_files')
        .innerJoin('audio_files', 'audio_files.file_id', 'job_files.job_id')
        .where('job_files.file_kind', '=', 'uploaded_audio')
        .where('audio_files.project_id', '=', (eb) => eb.selectFrom('audio_files as own').select('own.project_id').where('own.file_id', '=', fileId))
        .where('job_files.job_id', '!=', fileId)
        .select((eb) => eb.fn.sum<number | string | null>('job_files.size').as('bytes'))
        .executeTakeFirst();
      return Number(row?.bytes ?? 0);
    },
  };
}

const SORT_COLUMNS = {
  create_time: 'create_time',
  update_time: 'last_update_time',
  // Video jobs carry no asset order of their own; the order they were created in stands for it.
  asset_order: 'create_time',
} as const;

function toRow(job: VideoJob): VideoJobsTable {
  return {
    job_id: job.jobId,
    project_id: job.projectId,
    app_user_id: job.appUserId,
    state: job.state,
    job_type: job.jobType,
    model_asset_id: job.modelAssetId,
    model_job_id: job.modelJobId,
    script_id: job.scriptId,
    asset_name: job.assetName,
    create_time: job.createTime,
    last_update_time: job.lastUpdateTime,
    start_time: job.startTime,
    end_time: job.endTime,
    duration: job.duration,
    error_code: job.errorCode,
    error_msg: job.errorMsg,
    output_asset_id: job.outputAssetId,
    request: JSON.stringify(job.request),
    version: job.version,
  };
}

function toVideoJob(row: Selectable<VideoJobsTable>): VideoJob {
  return {
    jobId: row.job_id,
    projectId: row.project_id,
    appUserId: row.app_user_id,
    state: row.state as VideoJobState,
    jobType: row.job_type as VideoJobType,
    modelAssetId: row.model_asset_id,
    modelJobId: row.model_job_id,
    scriptId: row.script_id,
    assetName: row.asset_name,
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
    startTime: numberOrNull(row.start_time),
    endTime: numberOrNull(row.end_time),
    duration: numberOrNull(row.duration),
    errorCode: row.error_code,
    errorMsg: row.error_msg,
    outputAssetId: row.output_asset_id,
    request: JSON.parse(row.request) as VideoJobRequest,
    version: row.version,
  };
}

function toAudioFile(row: Selectable<DatabaseSchema['audio_files']>): AudioFile {
  return { fileId: row.file_id, projectId: row.project_id, appUserId: row.app_user_id, fileName: row.file_name, createdAt: Number(row.created_at) };
}
