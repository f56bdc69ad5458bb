import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { Db } from './database.js';
import type { DatabaseSchema, TrainingJobsTable } from './schema.js';
import type { JobState, LogType, OperateUser, CommentType } from '../domain/enums.js';
import type { JobAttributes, TrainingJob } from '../domain/trainingJob.js';
import type {
  CommentLogEntry,
  JobFile,
  JobRepository,
  JobScope,
  JobStore,
  ListJobsFilter,
  MultipartPart,
  MultipartUpload,
  OperationLogEntry,
} from '../domain/ports.js';

/** The job repository over SQL (Kysely): SQLite now, PostgreSQL through the same queries later. */
export function createJobStore(db: Db): JobStore {
  return {
    ...createJobRepository(db),
    transaction: (work) => db.transaction().execute((trx) => work(createJobRepository(trx))),
  };
}

const SORT_COLUMNS = {
  create_time: 'create_time',
  update_time: 'last_update_time',
  // Jobs carry no asset order of their own; the order they were created in stands for it.
  asset_order: 'create_time',
} as const;

function createJobRepository(db: Kysely<DatabaseSchema>): JobRepository {
  return {
    async findJob(scope, jobId) {
      const row = await scoped(db.selectFrom('training_jobs').selectAll(), scope).where('job_id', '=', jobId).executeTakeFirst();
      return row && toTrainingJob(row);
    },

    async insertJob(job) {
      await db.insertInto('training_jobs').values(toRow(job)).execute();
      await replaceTags(db, job);
    },

    async updateJob(job, expectedVersion) {
      const { job_id: _jobId, project_id: _projectId, create_time: _createTime, ...changes } = toRow(job);
      const result = await db
        .updateTable('training_jobs')
        .set(changes)
        .where('job_id', '=', job.jobId)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await replaceTags(db, job);
      return true;
    },

    async deleteJob(jobId) {
      // Children go by ON DELETE CASCADE.
      await db.deleteFrom('training_jobs').where('job_id', '=', jobId).execute();
    },

    async listJobs(filter) {
      let query = scoped(db.selectFrom('training_jobs'), filter.scope);
      if (filter.states) query = query.where('state', 'in', filter.states);
      if (filter.createSince !== undefined) query = query.where('create_time', '>=', filter.createSince);
      if (filter.createUntil !== undefined) query = query.where('create_time', '<=', filter.createUntil);
      if (filter.updateSince !== undefined) query = query.where('last_update_time', '>=', filter.updateSince);
      if (filter.updateUntil !== undefined) query = query.where('last_update_time', '<=', filter.updateUntil);
      if (filter.batchName !== undefined) query = query.where('batch_name', '=', filter.batchName);
      if (filter.jobId !== undefined) query = query.where('job_id', '=', filter.jobId);
      if (filter.name !== undefined) query = query.where('name', '=', filter.name);
      if (filter.modelResolution !== undefined) query = query.where('model_resolution', '=', filter.modelResolution);
      if (filter.trainLocation !== undefined) query = query.where('train_location', '=', filter.trainLocation);
      if (filter.isFlexus !== undefined) query = query.where('is_flexus', filter.isFlexus ? '=' : 'is not', 1);
      if (filter.isLiveCopy !== undefined) query = query.where('is_live_copy', filter.isLiveCopy ? '=' : 'is not', 1);
      if (filter.isOndemandResource !== undefined) {
        query = query.where('is_ondemand_resource', filter.isOndemandResource ? '=' : 'is not', 1);
      }
      if (filter.tag !== undefined) {
        const tag = filter.tag;
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('training_job_tags')
              .select('training_job_tags.job_id')
              .whereRef('training_job_tags.job_id', '=', 'training_jobs.job_id')
              .where('training_job_tags.tag', '=', tag),
          ),
        );
      }
      const countRow = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      const sortColumn = SORT_COLUMNS[filter.sortKey];
      const rows = await query
        .selectAll()
        .orderBy(sortColumn, filter.sortDir)
        .orderBy('job_id', filter.sortDir)
        .limit(filter.limit)
        .offset(filter.offset)
        .execute();
      return { count: Number(countRow.count), jobs: rows.map(toTrainingJob) };
    },

    async appendOperationLog(jobId, entry) {
      await db
        .insertInto('operation_logs')
        .values({
          job_id: jobId,
          operate_time: entry.operateTime,
          log_type: entry.logType,
          operate_user: entry.operateUser,
          log_description: entry.logDescription ?? null,
          error_code: entry.errorCode ?? null,
          redo_reasons: entry.redoReasons ? JSON.stringify(entry.redoReasons) : null,
        })
        .execute();
    },

    async listOperationLogs(jobId) {
      const rows = await db.selectFrom('operation_logs').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
      return rows.map(
        (row): OperationLogEntry => ({
          operateTime: Number(row.operate_time),
          logType: row.log_type as LogType,
          operateUser: row.operate_user as OperateUser,
          ...(row.log_description !== null && { logDescription: row.log_description }),
          ...(row.error_code !== null && { errorCode: row.error_code }),
          ...(row.redo_reasons !== null && { redoReasons: JSON.parse(row.redo_reasons) as string[] }),
        }),
      );
    },

    async appendCommentLog(jobId, entry) {
      await db
        .insertInto('comment_logs')
        .values({
          job_id: jobId,
          operate_time: entry.operateTime,
          comment_type: entry.commentType,
          comment_title: entry.commentTitle ?? null,
          comment_message: entry.commentMessage ?? null,
          attachment_kinds: JSON.stringify(entry.attachmentKinds),
        })
        .execute();
    },

    async listCommentLogs(jobId) {
      const rows = await db.selectFrom('comment_logs').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
      return rows.map(
        (row): CommentLogEntry => ({
          operateTime: Number(row.operate_time),
          commentType: row.comment_type as CommentType,
          ...(row.comment_title !== null && { commentTitle: row.comment_title }),
          ...(row.comment_message !== null && { commentMessage: row.comment_message }),
          attachmentKinds: JSON.parse(row.attachment_kinds) as string[],
        }),
      );
    },

    async listFiles(jobIds, fileKinds) {
      if (jobIds.length === 0) return [];
      let query = db.selectFrom('job_files').selectAll().where('job_id', 'in', jobIds);
      if (fileKinds) query = query.where('file_kind', 'in', fileKinds);
      return (await query.execute()).map(toJobFile);
    },

    async findFile(jobId, fileKind) {
      const row = await db.selectFrom('job_files').selectAll().where('job_id', '=', jobId).where('file_kind', '=', fileKind).executeTakeFirst();
      return row && toJobFile(row);
    },

    async putFile(file) {
      const previous = await this.findFile(file.jobId, file.fileKind);
      const values = {
        job_id: file.jobId,
        file_kind: file.fileKind,
        file_version: file.fileVersion,
        blob_key: file.blobKey,
        size: file.size,
        etag: file.etag,
        created_at: file.createdAt,
      };
      await db
        .insertInto('job_files')
        .values(values)
        .onConflict((conflict) =>
          conflict.columns(['job_id', 'file_kind']).doUpdateSet({
            file_version: values.file_version,
            blob_key: values.blob_key,
            size: values.size,
            etag: values.etag,
            created_at: values.created_at,
          }),
        )
        .execute();
      return previous;
    },

    async deleteFiles(jobId, fileKinds) {
      if (fileKinds.length === 0) return [];
      const files = await this.listFiles([jobId], fileKinds);
      await db.deleteFrom('job_files').where('job_id', '=', jobId).where('file_kind', 'in', fileKinds).execute();
      return files;
    },

    async insertUploadSlots(slots) {
      if (slots.length === 0) return;
      await db
        .insertInto('upload_slots')
        .values(
          slots.map((slot) => ({
            slot_id: slot.slotId,
            job_id: slot.jobId,
            file_kind: slot.fileKind,
            upload_id: slot.uploadId,
            part_number: slot.partNumber,
            content_type: slot.contentType,
            expires_at: slot.expiresAt,
            used_at: slot.usedAt,
          })),
        )
        .execute();
    },

    async deleteUnusedUploadSlots(jobId, fileKinds) {
      if (fileKinds.length === 0) return;
      await db
        .deleteFrom('upload_slots')
        .where('job_id', '=', jobId)
        .where('file_kind', 'in', fileKinds)
        .where('used_at', 'is', null)
        .execute();
    },

    async findUploadSlot(slotId) {
      const row = await db.selectFrom('upload_slots').selectAll().where('slot_id', '=', slotId).executeTakeFirst();
      return (
        row && {
          slotId: row.slot_id,
          jobId: row.job_id,
          fileKind: row.file_kind,
          uploadId: row.upload_id,
          partNumber: row.part_number,
          contentType: row.content_type,
          expiresAt: Number(row.expires_at),
          usedAt: row.used_at === null ? null : Number(row.used_at),
        }
      );
    },

    async markUploadSlotUsed(slotId, now) {
      const result = await db
        .updateTable('upload_slots')
        .set({ used_at: now })
        .where('slot_id', '=', slotId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async openMultipartUpload(upload) {
      const previous = await this.findMultipartUpload(upload.jobId, upload.fileKind);
      const replacedParts = previous ? await this.listMultipartParts(previous.uploadId) : [];
      if (previous) await this.deleteMultipartUpload(previous.uploadId);
      await db
        .insertInto('multipart_uploads')
        .values({
          upload_id: upload.uploadId,
          job_id: upload.jobId,
          file_kind: upload.fileKind,
          part_count: upload.partCount,
          created_at: upload.createdAt,
        })
        .execute();
      return replacedParts;
    },

    async findMultipartUpload(jobId, fileKind) {
      const row = await db
        .selectFrom('multipart_uploads')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('file_kind', '=', fileKind)
        .executeTakeFirst();
      return row && toMultipartUpload(row);
    },

    async listMultipartParts(uploadId) {
      const rows = await db.selectFrom('multipart_parts').selectAll().where('upload_id', '=', uploadId).orderBy('part_number').execute();
      return rows.map(toMultipartPart);
    },

    async putMultipartPart(part) {
      const previousRow = await db
        .selectFrom('multipart_parts')
        .selectAll()
        .where('upload_id', '=', part.uploadId)
        .where('part_number', '=', part.partNumber)
        .executeTakeFirst();
      const values = {
        upload_id: part.uploadId,
        part_number: part.partNumber,
        blob_key: part.blobKey,
        size: part.size,
        etag: part.etag,
        uploaded_at: part.uploadedAt,
      };
      await db
        .insertInto('multipart_parts')
        .values(values)
        .onConflict((conflict) =>
          conflict.columns(['upload_id', 'part_number']).doUpdateSet({
            blob_key: values.blob_key,
            size: values.size,
            etag: values.etag,
            uploaded_at: values.uploaded_at,
          }),
        )
        .execute();
      return previousRow && toMultipartPart(previousRow);
    },

    async deleteMultipartUpload(uploadId) {
      await db.deleteFrom('multipart_uploads').where('upload_id', '=', uploadId).execute();
    },
  };
}

/** Narrows a job query to what the caller may see: its project and, with X-App-UserId, that app user. */
function scoped<Output>(
  query: SelectQueryBuilder<DatabaseSchema, 'training_jobs', Output>,
  scope: JobScope,
): SelectQueryBuilder<DatabaseSchema, 'training_jobs', Output> {
  const inProject = query.where('training_jobs.project_id', '=', scope.projectId);
  return scope.appUserId === undefined ? inProject : inProject.where('training_jobs.app_user_id', '=', scope.appUserId);
}

async function replaceTags(db: Kysely<DatabaseSchema>, job: TrainingJob): Promise<void> {
  await db.deleteFrom('training_job_tags').where('job_id', '=', job.jobId).execute();
  const tags = [...new Set(job.attributes.tags ?? [])];
  if (tags.length > 0) {
    await db.insertInto('training_job_tags').values(tags.map((tag) => ({ job_id: job.jobId, tag }))).execute();
  }
}

const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);

function toRow(job: TrainingJob): TrainingJobsTable {
  const attributes = job.attributes;
  return {
    job_id: job.jobId,
    project_id: job.projectId,
    app_user_id: job.appUserId,
    name: job.name,
    state: job.state,
    batch_name: attributes.batch_name ?? null,
    model_resolution: attributes.model_resolution ?? null,
    train_location: attributes.train_location ?? null,
    is_flexus: flag(attributes.is_flexus),
    is_live_copy: flag(attributes.is_live_copy),
    is_ondemand_resource: flag(attributes.is_ondemand_resource),
    create_time: job.createTime,
    last_update_time: job.lastUpdateTime,
    version: job.version,
    attributes: JSON.stringify(attributes),
  };
}

function toTrainingJob(row: Selectable<TrainingJobsTable>): TrainingJob {
  return {
    jobId: row.job_id,
    projectId: row.project_id,
    appUserId: row.app_user_id,
    name: row.name,
    state: row.state as JobState,
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
    version: row.version,
    attributes: JSON.parse(row.attributes) as JobAttributes,
  };
}

function toJobFile(row: Selectable<DatabaseSchema['job_files']>): JobFile {
  return {
    jobId: row.job_id,
    fileKind: row.file_kind,
    fileVersion: row.file_version,
    blobKey: row.blob_key,
    size: Number(row.size),
    etag: row.etag,
    createdAt: Number(row.created_at),
  };
}

function toMultipartUpload(row: Selectable<DatabaseSchema['multipart_uploads']>): MultipartUpload {
  return {
    uploadId: row.upload_id,
    jobId: row.job_id,
    fileKind: row.file_kind,
    partCount: row.part_count,
    createdAt: Number(row.created_at),
  };
}

function toMultipartPart(row: Selectable<DatabaseSchema['multipart_parts']>): MultipartPart {
  return {
    uploadId: row.upload_id,
    partNumber: row.part_number,
    blobKey: row.blob_key,
    size: Number(row.size),
    etag: row.etag,
    uploadedAt: Number(row.uploaded_at),
  };
}

