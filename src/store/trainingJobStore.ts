import type { Expression, ExpressionBuilder, Kysely, Selectable, SelectQueryBuilder, SqlBool } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Db } from './database.js';
import { inTransaction, isPostgres, numberOrNull } from './dialect.js';
import { prepareQuery } from './preparedQuery.js';
import { createStageWorkRepository } from './stageWorkStore.js';
import { createVideoJobRepository } from './videoJobStore.js';
import { createAssetRepository } from './assets/assetStore.js';
import { versionedCount, type CountCache } from './versionedCounts.js';
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
  UploadSlot,
} from '../domain/ports.js';

/** The job repository over SQL (Kysely): SQLite now, PostgreSQL through the same queries later. */
export function createJobStore(db: Db): JobStore {
  const counts: CountCache = new Map();
  const assetCounts: CountCache = new Map();
  // Show is the hottest read: its statement is built once per scope shape.
  const prepared = {
    jobDetails: prepareQuery(2, (projectId: string, jobId: string) => jobDetailsQuery(db, { projectId }, jobId)),
    appUserJobDetails: prepareQuery(3, (projectId: string, appUserId: string, jobId: string) => jobDetailsQuery(db, { projectId, appUserId }, jobId)),
  };
  return {
    ...createJobRepository(db, counts, assetCounts, prepared),
    transaction: (work) => inTransaction(db, (trx) => work(createJobRepository(trx, counts, assetCounts, prepared))),
  };
}

/** List totals by filter, each with the project's jobs_version it was counted at. */

async function bumpJobsVersion(db: Kysely<DatabaseSchema>, projectId: string): Promise<void> {
  await db.updateTable('projects').set((eb) => ({ jobs_version: eb('jobs_version', '+', 1) })).where('project_id', '=', projectId).execute();
}

// Named columns: the JSON aggregation of Show's one-query read cannot take `select *`.
const OPERATION_LOG_COLUMNS = ['id', 'job_id', 'operate_time', 'log_type', 'operate_user', 'log_description', 'error_code', 'redo_reasons'] as const;
const COMMENT_LOG_COLUMNS = ['id', 'job_id', 'operate_time', 'comment_type', 'comment_title', 'comment_message', 'attachment_kinds'] as const;
const JOB_FILE_COLUMNS = ['job_id', 'file_kind', 'file_version', 'blob_key', 'size', 'etag', 'created_at'] as const;

const SORT_COLUMNS = {
  create_time: 'create_time',
  update_time: 'last_update_time',
  // Jobs carry no asset order of their own; the order they were created in stands for it.
  asset_order: 'create_time',
} as const;

/** Show's read: the job with its logs and files as JSON arrays, in one statement. */
function jobDetailsQuery(db: Kysely<DatabaseSchema>, scope: JobScope, jobId: string) {
  const jsonArrayFrom = isPostgres(db) ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
  return scoped(db.selectFrom('training_jobs').selectAll(), scope)
    .where('job_id', '=', jobId)
    .select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('operation_logs').select(OPERATION_LOG_COLUMNS).whereRef('operation_logs.job_id', '=', 'training_jobs.job_id').orderBy('id'),
      ).as('operation_log_rows'),
      jsonArrayFrom(
        eb.selectFrom('comment_logs').select(COMMENT_LOG_COLUMNS).whereRef('comment_logs.job_id', '=', 'training_jobs.job_id').orderBy('id'),
      ).as('comment_log_rows'),
      jsonArrayFrom(eb.selectFrom('job_files').select(JOB_FILE_COLUMNS).whereRef('job_files.job_id', '=', 'training_jobs.job_id')).as('file_rows'),
    ]);
}

type PreparedJobQueries = {
  jobDetails: (executor: Kysely<DatabaseSchema>, projectId: string, jobId: string) => Promise<JobDetailsRow[]>;
  appUserJobDetails: (executor: Kysely<DatabaseSchema>, projectId: string, appUserId: string, jobId: string) => Promise<JobDetailsRow[]>;
};
type JobDetailsRow = Awaited<ReturnType<ReturnType<typeof jobDetailsQuery>['executeTakeFirstOrThrow']>>;

function createJobRepository(db: Kysely<DatabaseSchema>, counts: CountCache, assetCounts: CountCache, prepared: PreparedJobQueries): JobRepository {
  return {
    ...createStageWorkRepository(db),
    ...createVideoJobRepository(db),
    ...createAssetRepository(db, assetCounts),
    async findJob(scope, jobId) {
      const row = await scoped(db.selectFrom('training_jobs').selectAll(), scope).where('job_id', '=', jobId).executeTakeFirst();
      return row && toTrainingJob(row);
    },

    async findJobById(jobId) {
      const row = await db.selectFrom('training_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
      return row && toTrainingJob(row);
    },

    async findJobDetails(scope, jobId) {
      const [row] =
        scope.appUserId === undefined
          ? await prepared.jobDetails(db, scope.projectId, jobId)
          : await prepared.appUserJobDetails(db, scope.projectId, scope.appUserId, jobId);
      if (!row) return undefined;
      const { operation_log_rows: operationLogRows, comment_log_rows: commentLogRows, file_rows: fileRows, ...jobRow } = row;
      return {
        job: toTrainingJob(jobRow),
        operationLogs: jsonRows(operationLogRows).map(toOperationLogEntry),
        commentLogs: jsonRows(commentLogRows).map(toCommentLogEntry),
        files: jsonRows(fileRows).map(toJobFile),
      };
    },

    async insertJob(job) {
      await db.insertInto('training_jobs').values(toRow(job)).execute();
      await replaceTags(db, job);
      await bumpJobsVersion(db, job.projectId);
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
      await bumpJobsVersion(db, job.projectId);
      return true;
    },

    async deleteJob(jobId) {
      // Logs, tags and multipart uploads go by ON DELETE CASCADE; files, upload URLs and work are
      // shared with video jobs and have no foreign key (migration 0006).
      for (const table of ['job_files', 'upload_slots', 'stage_work'] as const) await db.deleteFrom(table).where('job_id', '=', jobId).execute();
      const deleted = await db.selectFrom('training_jobs').select('project_id').where('job_id', '=', jobId).executeTakeFirst();
      await db.deleteFrom('training_jobs').where('job_id', '=', jobId).execute();
      if (deleted) await bumpJobsVersion(db, deleted.project_id);
    },

    async listJobs(filter) {
      const conditions = (eb: ExpressionBuilder<DatabaseSchema, 'training_jobs'>) => eb.and(jobConditions(eb, filter));
      const sortColumn = SORT_COLUMNS[filter.sortKey];
      // With a tag, the tag rows drive: their (project_id, tag, time) index yields the page in
      // order, instead of a tag lookup for every job of the project.
      const page =
        filter.tag === undefined
          ? db.selectFrom('training_jobs').selectAll().where(conditions).orderBy(sortColumn, filter.sortDir).orderBy('job_id', filter.sortDir)
          : db
              .selectFrom('training_job_tags as tagged')
              .innerJoin('training_jobs', 'training_jobs.job_id', 'tagged.job_id')
              .selectAll('training_jobs')
              .where('tagged.project_id', '=', filter.scope.projectId)
              .where('tagged.tag', '=', filter.tag)
              .where(conditions)
              .orderBy(`tagged.${sortColumn}`, filter.sortDir)
              .orderBy('tagged.job_id', filter.sortDir);
      const rows = await page.limit(filter.limit).offset(filter.offset).execute();
      return { count: await countJobs(db, filter, counts), jobs: rows.map(toTrainingJob) };
    },

    async listJobsAcrossProjects(filter) {
      const conditions = (eb: ExpressionBuilder<DatabaseSchema, 'training_jobs'>) =>
        eb.and([eb('state', 'in', filter.states), ...(filter.projectId === undefined ? [] : [eb('project_id', '=', filter.projectId)])]);
      const rows = await db
        .selectFrom('training_jobs')
        .selectAll()
        .where(conditions)
        .orderBy('last_update_time', 'asc')
        .orderBy('job_id', 'asc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute();
      const counted = await db
        .selectFrom('training_jobs')
        .where(conditions)
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return { count: Number(counted.count), jobs: rows.map(toTrainingJob) };
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
      return rows.map(toOperationLogEntry);
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
      return rows.map(toCommentLogEntry);
    },

    async listFiles(jobIds, fileKinds) {
      // `IN ()` is an error on PostgreSQL: a stage without outputs (asset sync) asks for no kinds.
      if (jobIds.length === 0 || fileKinds?.length === 0) return [];
      // By job_id alone, the kinds checked here: `job_id IN (…) AND file_kind IN (…)` probes the
      // key for every id with every kind (a List page of 10 assets asks for a dozen kinds: 120
      // probes, 0.2–0.65 ms on SQLite, against 0.03–0.06 ms for the jobs' few rows).
      const rows = await db.selectFrom('job_files').selectAll().where('job_id', 'in', jobIds).execute();
      const wanted = fileKinds && new Set(fileKinds);
      return (wanted ? rows.filter((row) => wanted.has(row.file_kind)) : rows).map(toJobFile);
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
            direct_key: slot.directKey,
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
      return row && toUploadSlot(row);
    },

    async listPendingDirectUploads(jobId, now) {
      const rows = await db
        .selectFrom('upload_slots')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('direct_key', 'is not', null)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .execute();
      return rows.map(toUploadSlot);
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
          store_upload_id: upload.storeUploadId,
          blob_key: upload.blobKey,
        })
        .execute();
      return { replaced: previous, replacedParts };
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

/**
 * The List filters other than the tag (which decides the query's shape), as conditions on
 * training_jobs. The project is left out where the tag rows (which carry it) drive the query: a
 * second project condition on the jobs misleads PostgreSQL's row estimate into a parallel plan
 * ten times slower.
 */
function jobConditions(eb: ExpressionBuilder<DatabaseSchema, 'training_jobs'>, filter: ListJobsFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = filter.tag === undefined ? [eb('training_jobs.project_id', '=', filter.scope.projectId)] : [];
  const equal = (column: 'app_user_id' | 'batch_name' | 'job_id' | 'name' | 'model_resolution' | 'train_location', value: string | undefined) => {
    if (value !== undefined) conditions.push(eb(`training_jobs.${column}`, '=', value));
  };
  const flag = (column: 'is_flexus' | 'is_live_copy' | 'is_ondemand_resource', value: boolean | undefined) => {
    // "false" also matches jobs that never set the flag.
    if (value !== undefined) conditions.push(eb(`training_jobs.${column}`, value ? '=' : 'is distinct from', 1));
  };
  const range = (column: 'create_time' | 'last_update_time', since: number | undefined, until: number | undefined) => {
    if (since !== undefined) conditions.push(eb(`training_jobs.${column}`, '>=', since));
    if (until !== undefined) conditions.push(eb(`training_jobs.${column}`, '<=', until));
  };
  equal('app_user_id', filter.scope.appUserId);
  if (filter.states) conditions.push(eb('training_jobs.state', 'in', filter.states));
  range('create_time', filter.createSince, filter.createUntil);
  range('last_update_time', filter.updateSince, filter.updateUntil);
  equal('batch_name', filter.batchName);
  equal('job_id', filter.jobId);
  equal('name', filter.name);
  equal('model_resolution', filter.modelResolution);
  equal('train_location', filter.trainLocation);
  flag('is_flexus', filter.isFlexus);
  flag('is_live_copy', filter.isLiveCopy);
  flag('is_ondemand_resource', filter.isOndemandResource);
  return conditions;
}

/** The number of jobs matching a List filter, reused until one of the project's jobs changes (versionedCount). */
async function countJobs(db: Kysely<DatabaseSchema>, filter: ListJobsFilter, counts: CountCache): Promise<number> {
  const { sortKey: _sortKey, sortDir: _sortDir, offset: _offset, limit: _limit, ...counted } = filter;
  return versionedCount(db, filter.scope.projectId, 'jobs_version', JSON.stringify(counted), counts, async () => {
    const conditions = (eb: ExpressionBuilder<DatabaseSchema, 'training_jobs'>) => eb.and(jobConditions(eb, filter));
    // A tag alone is counted on the tag index, without visiting the jobs: a tag row exists once per
    // job and tag, carries the job's project, and goes when the job goes.
    const tagAlone = filter.tag !== undefined && Object.entries(counted).every(([key, value]) => key === 'tag' || value === undefined || (key === 'scope' && filter.scope.appUserId === undefined));
    const counting =
      filter.tag === undefined
        ? db.selectFrom('training_jobs').where(conditions)
        : tagAlone
          ? db.selectFrom('training_job_tags as tagged').where('tagged.project_id', '=', filter.scope.projectId).where('tagged.tag', '=', filter.tag)
          : db
              .selectFrom('training_job_tags as tagged')
              .innerJoin('training_jobs', 'training_jobs.job_id', 'tagged.job_id')
              .where('tagged.project_id', '=', filter.scope.projectId)
              .where('tagged.tag', '=', filter.tag)
              .where(conditions);
    const row = await counting.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  });
}

async function replaceTags(db: Kysely<DatabaseSchema>, job: TrainingJob): Promise<void> {
  await db.deleteFrom('training_job_tags').where('job_id', '=', job.jobId).execute();
  const tags = [...new Set(job.attributes.tags ?? [])];
  if (tags.length > 0) {
    await db
      .insertInto('training_job_tags')
      .values(tags.map((tag) => ({ job_id: job.jobId, tag, project_id: job.projectId, create_time: job.createTime, last_update_time: job.lastUpdateTime })))
      .execute();
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
    asset_id: attributes.asset_id ?? null,
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

/** Rows aggregated with jsonArrayFrom: SQLite hands them over as JSON text, PostgreSQL's driver already parsed. */
function jsonRows<Row>(value: Row[] | string): Row[] {
  return typeof value === 'string' ? (JSON.parse(value) as Row[]) : value;
}

function toOperationLogEntry(row: Selectable<DatabaseSchema['operation_logs']>): OperationLogEntry {
  return {
    operateTime: Number(row.operate_time),
    logType: row.log_type as LogType,
    operateUser: row.operate_user as OperateUser,
    ...(row.log_description !== null && { logDescription: row.log_description }),
    ...(row.error_code !== null && { errorCode: row.error_code }),
    ...(row.redo_reasons !== null && { redoReasons: JSON.parse(row.redo_reasons) as string[] }),
  };
}

function toCommentLogEntry(row: Selectable<DatabaseSchema['comment_logs']>): CommentLogEntry {
  return {
    operateTime: Number(row.operate_time),
    commentType: row.comment_type as CommentType,
    ...(row.comment_title !== null && { commentTitle: row.comment_title }),
    ...(row.comment_message !== null && { commentMessage: row.comment_message }),
    attachmentKinds: JSON.parse(row.attachment_kinds) as string[],
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
    storeUploadId: row.store_upload_id,
    blobKey: row.blob_key,
  };
}

function toUploadSlot(row: Selectable<DatabaseSchema['upload_slots']>): UploadSlot {
  return {
    slotId: row.slot_id,
    jobId: row.job_id,
    fileKind: row.file_kind,
    uploadId: row.upload_id,
    partNumber: row.part_number,
    contentType: row.content_type,
    expiresAt: Number(row.expires_at),
    usedAt: numberOrNull(row.used_at),
    directKey: row.direct_key,
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

