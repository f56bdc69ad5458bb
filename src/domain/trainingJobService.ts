import type { Readable } from 'node:stream';
import { withoutUndefined } from './wireFields.js';
import type { Clock } from '../clock.js';
import { addComment } from './comments.js';
import { deliveredModelOf, type ShowTrainingJobModelResponse } from './deliveredModel.js';
import type { JobState } from './enums.js';
import { ApiError } from './errors.js';
import { FILE_KINDS, fileBlobKey, uploadKindsFor, type FileKind, type FileKindName } from './fileKinds.js';
import { newId } from './ids.js';
import { createJobViews } from './jobViews.js';
import { parseStates, parseTimeParameter } from './listQueryParameters.js';
import { BlobPartsTooSmallError, type BlobStore, type JobFile, type JobRepository, type JobScope, type JobStore, type ListJobsFilter, type MultipartUpload, type UploadSlot, type UrlSigner } from './ports.js';
import { DELETABLE_STATES, UPDATABLE_STATES, UPLOAD_STATES } from './stateMachine.js';
import { applyTransition } from './transitions.js';
import type { JobAttributes, TrainingJob } from './trainingJob.js';
import { activateAudioAsset, retireJobAssets } from './assets/producedAssets.js';
import type {
  Create2dModelTrainingJobReq,
  Create2dModelTrainingJobResponse,
  Execute2dModelTrainingCommandByUserReq,
  Execute2dModelTrainingCommandByUserResponse,
  List2dModelTrainingJobQuery,
  List2dModelTrainingJobResponse,
  Show2dModelTrainingJobResponse,
  Update2dModelTrainingJobReq,
} from './wireSchemas.js';

export interface TrainingJobSettings {
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
  maxUploadBytes: number;
  /** An audio file uploaded for the video API is refused at the PUT past this many bytes (the audio limit). */
  maxAudioUploadBytes: number;
  /** A project's uploaded audio files may hold this many bytes in all; an upload past it is refused. */
  maxStoredAudioBytes: number;
  /** SUBMITVERIFYING requires the ID card images and the authorization letter (non-NA tenants). */
  requireIdentityFiles: boolean;
}

export interface TrainingJobServiceDeps {
  jobs: JobStore;
  blobs: BlobStore;
  urls: UrlSigner;
  clock: Clock;
  settings: TrainingJobSettings;
  /** Told of every successful Show (the emulator counts reads of a job). */
  onJobShown?: (jobId: string) => void;
}

/** Documented default of `supported_service` (Show page); Flexus jobs support video production only. */
const DEFAULT_SUPPORTED_SERVICE = ['VIDEO_2D', 'LIVE_2D'] as const;
/** Retrains a new Flexus job gets (the documented range is 0-10; the cloud's default is not published). */
const DEFAULT_FLEXUS_RETRY_COUNT = 3;
/** The Update body's fields that are stored under the same name (`samples_basic_info` becomes `samples`). */
const UPDATABLE_ATTRIBUTES = [
  'contact',
  'command_message',
  'video_multipart_count',
  'action_video_multipart_count',
  'is_background_replacement',
  'batch_name',
  'tags',
  'is_fast_flexus',
  'voice_properties',
  'supported_service',
  'audio_source_type',
] as const satisfies ReadonlyArray<keyof Update2dModelTrainingJobReq & keyof JobAttributes>;
const IDENTITY_FILE_KINDS: FileKindName[] = ['id_card_image1', 'id_card_image2', 'grant_file'];
const COMPLETED_STATES: readonly JobState[] = ['JOB_SUCCESS', 'JOB_FINISH', 'WAIT_USER_CONFIRM', 'JOB_REJECT'];

type UploadUrlFields = Create2dModelTrainingJobResponse;

/** The six operations of the training-job API, the delivered model (our extension), and the byte transfers behind their signed URLs. */
export function createTrainingJobService({ jobs, blobs, urls, clock, settings, onJobShown }: TrainingJobServiceDeps) {
  const now = (): number => clock.now().getTime();
  const views = createJobViews({ urls, downloadUrlTtlMs: settings.downloadUrlTtlMs });
  const uploads = { urls, uploadUrlTtlMs: settings.uploadUrlTtlMs };
  const direct = blobs.direct;

  async function findJobOrFail(repository: JobRepository, scope: JobScope, jobId: string): Promise<TrainingJob> {
    const job = await repository.findJob(scope, jobId);
    if (!job) throw new ApiError('JOB_NOT_FOUND', jobId);
    return job;
  }

  /** Deletes blobs that a committed change left unreferenced; a failure here only leaves garbage. */
  async function deleteBlobs(blobKeys: string[]): Promise<void> {
    await Promise.all(blobKeys.map((key) => blobs.delete(key).catch(() => undefined)));
  }

  /** What a committed change left behind: blobs no longer referenced, store uploads no longer wanted. */
  interface Leftovers {
    blobKeys: string[];
    storeUploads: Array<{ key: string; storeUploadId: string }>;
  }

  async function discard(leftovers: Leftovers): Promise<void> {
    await deleteBlobs(leftovers.blobKeys);
    await Promise.all(leftovers.storeUploads.map((upload) => direct?.abortMultipart(upload.key, upload.storeUploadId).catch(() => undefined)));
  }

  /**
   * Issues fresh upload URLs for these kinds, dropping the unused ones issued before: this server's
   * single-use URLs, or with an object store the store's own presigned URLs (a multipart video then
   * becomes a multipart upload in the store). Returns the response fields and what the replaced
   * uploads left behind (to discard after commit).
   */
  async function issueUploadUrls(
    repository: JobRepository,
    job: TrainingJob,
    kinds: FileKindName[],
    issuedAt: number,
  ): Promise<{ fields: UploadUrlFields; leftovers: Leftovers }> {
    const expiresAt = issuedAt + settings.uploadUrlTtlMs;
    const fields: Record<string, string | string[]> = {};
    const slots: UploadSlot[] = [];
    const leftovers: Leftovers = { blobKeys: [], storeUploads: [] };
    await repository.deleteUnusedUploadSlots(job.jobId, kinds);
    for (const kindName of kinds) {
      const kind: FileKind = FILE_KINDS[kindName];
      const slot = { jobId: job.jobId, fileKind: kind.kind, contentType: kind.contentType, expiresAt, usedAt: null };
      if (kind.multipart) {
        const partCount =
          kindName === 'training_video' ? job.attributes.video_multipart_count ?? 1 : job.attributes.action_video_multipart_count ?? 1;
        const uploadId = newId();
        const partNumbers = Array.from({ length: partCount }, (_, index) => index + 1);
        // With an object store the parts go to a multipart upload of the store, completed to this key.
        const blobKey = direct ? fileBlobKey(job.jobId, kind.kind, uploadId) : null;
        const storeUploadId = direct ? await direct.openMultipart(blobKey!, kind.contentType) : null;
        const { replaced, replacedParts } = await repository.openMultipartUpload({
          uploadId,
          jobId: job.jobId,
          fileKind: kind.kind,
          partCount,
          createdAt: issuedAt,
          storeUploadId,
          blobKey,
        });
        leftovers.blobKeys.push(...replacedParts.map((part) => part.blobKey));
        if (replaced?.storeUploadId) leftovers.storeUploads.push({ key: replaced.blobKey!, storeUploadId: replaced.storeUploadId });
        if (direct) {
          fields[kind.uploadField!] = partNumbers.map((number) => direct.presignPart(blobKey!, storeUploadId!, number, issuedAt, expiresAt));
        } else {
          const partSlots = partNumbers.map((number) => ({ ...slot, slotId: newId(), uploadId, partNumber: number, directKey: null }));
          slots.push(...partSlots);
          fields[kind.uploadField!] = partSlots.map((partSlot) => urls.uploadUrl(partSlot.slotId, expiresAt));
        }
      } else {
        const slotId = newId();
        // With an object store the slot id doubles as the file version: the key is known before the bytes.
        const directKey = direct ? fileBlobKey(job.jobId, kind.kind, slotId) : null;
        slots.push({ ...slot, slotId, uploadId: null, partNumber: null, directKey });
        fields[kind.uploadField!] = directKey ? direct!.presignPut(directKey, issuedAt, expiresAt) : urls.uploadUrl(slotId, expiresAt);
      }
    }
    await repository.insertUploadSlots(slots);
    return { fields: { job_id: job.jobId, ...fields }, leftovers };
  }

  /**
   * With an object store, clients put files straight into it: a job's file exists once its object
   * does. This records the objects that arrived for the open upload URLs of the job, if the caller
   * may see it (Show, the commands that need files and the pipeline see them from then on).
   */
  async function collectDirectUploads(scope: JobScope, jobId: string): Promise<void> {
    if (!direct || !(await jobs.findJob(scope, jobId))) return;
    for (const slot of await jobs.listPendingDirectUploads(jobId, now())) {
      const stored = await direct.stat(slot.directKey!);
      if (!stored) continue;
      const recordedAt = now();
      const replaced = await jobs.transaction(async (repository) => {
        if (!(await repository.markUploadSlotUsed(slot.slotId, recordedAt))) return undefined;
        return repository.putFile({
          jobId,
          fileKind: slot.fileKind,
          fileVersion: slot.slotId,
          blobKey: slot.directKey!,
          size: stored.size,
          etag: stored.etag,
          createdAt: recordedAt,
        });
      });
      if (replaced) await deleteBlobs([replaced.blobKey]);
    }
  }

  /** Assembles the parts of an open multipart upload into the job's file of that kind. */
  async function completeMultipartUpload(scope: JobScope, jobId: string, fileKind: 'training_video' | 'action_video'): Promise<void> {
    const job = await findJobOrFail(jobs, scope, jobId);
    if (!UPLOAD_STATES.includes(job.state)) {
      throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; allowed in ${UPLOAD_STATES.join(', ')}`);
    }
    const upload = await jobs.findMultipartUpload(jobId, fileKind);
    if (!upload) {
      if (await jobs.findFile(jobId, fileKind)) return; // already confirmed: confirming again changes nothing
      throw new ApiError('NO_OPEN_UPLOAD', fileKind);
    }
    if (upload.storeUploadId !== null) return completeStoreMultipartUpload(scope, upload);
    const parts = await jobs.listMultipartParts(upload.uploadId);
    checkAllPartsReceived(upload, parts);
    const fileVersion = newId();
    const blobKey = fileBlobKey(jobId, fileKind, fileVersion);
    const stored = await blobs.concat(parts.map((part) => part.blobKey), blobKey);
    const replaced = await recordConfirmedUpload(scope, upload, { fileVersion, blobKey, size: stored.size, etag: stored.md5 });
    if (!replaced) {
      // Another confirm (or an Update, or a Delete) won the race; this assembly is not needed.
      await deleteBlobs([blobKey]);
      return;
    }
    await deleteBlobs([...parts.map((part) => part.blobKey), ...(replaced.previous ? [replaced.previous.blobKey] : [])]);
  }

  /**
   * Records the file a confirmed multipart upload made and closes the upload, in one transaction;
   * undefined when the upload is no longer the open one (another confirm, an Update or a Delete won
   * the race). Otherwise tells the file it replaced, if any (its blob is to delete).
   */
  async function recordConfirmedUpload(
    scope: JobScope,
    upload: MultipartUpload,
    file: { fileVersion: string; blobKey: string; size: number; etag: string },
  ): Promise<{ previous: JobFile | undefined } | undefined> {
    const { jobId, fileKind } = upload;
    return jobs.transaction(async (repository) => {
      const stillOpen = await repository.findMultipartUpload(jobId, fileKind);
      if (stillOpen?.uploadId !== upload.uploadId || !(await repository.findJob(scope, jobId))) return undefined;
      const previous = await repository.putFile({ jobId, fileKind, ...file, createdAt: now() });
      await repository.deleteMultipartUpload(upload.uploadId);
      return { previous };
    });
  }

  function checkAllPartsReceived(upload: MultipartUpload, parts: Array<{ partNumber: number }>): void {
    const received = new Set(parts.map((part) => part.partNumber));
    const missing = Array.from({ length: upload.partCount }, (_, index) => index + 1).filter((number) => !received.has(number));
    if (missing.length > 0) {
      throw new ApiError('MULTIPART_INCOMPLETE', `${upload.fileKind} parts not uploaded: ${missing.join(', ')} of ${upload.partCount}`);
    }
  }

  /** Completes the object store's multipart upload behind the job's open upload, and records the file. */
  async function completeStoreMultipartUpload(scope: JobScope, upload: MultipartUpload): Promise<void> {
    const { storeUploadId, blobKey } = upload;
    const parts = (await direct!.listParts(blobKey!, storeUploadId!)).filter((part) => part.partNumber <= upload.partCount);
    checkAllPartsReceived(upload, parts);
    let stored: { size: number; etag: string };
    try {
      stored = await direct!.completeMultipart(blobKey!, storeUploadId!, parts);
    } catch (error) {
      if (error instanceof BlobPartsTooSmallError) throw new ApiError('MULTIPART_PART_TOO_SMALL', error.message);
      throw error;
    }
    const replaced = await recordConfirmedUpload(scope, upload, { fileVersion: upload.uploadId, blobKey: blobKey!, ...stored });
    if (replaced?.previous) await deleteBlobs([replaced.previous.blobKey]);
  }

  return {
    async createJob(scope: JobScope, request: Create2dModelTrainingJobReq): Promise<Create2dModelTrainingJobResponse> {
      checkSupportedService(request.is_flexus, request.supported_service);
      const createdAt = now();
      const attributes: JobAttributes = {
        contact: request.contact,
        batch_name: request.batch_name,
        tags: request.tags,
        model_version: request.model_version ?? 'V3.2',
        matting_type: 'AI',
        model_resolution: '1080P',
        is_flexus: request.is_flexus,
        is_fast_flexus: request.is_fast_flexus,
        is_live_copy: request.is_live_copy,
        is_only_human_model: request.is_only_human_model ?? false,
        is_background_replacement: request.is_background_replacement ?? true,
        is_ondemand_resource: request.is_ondemand_resource,
        audio_source_type: request.audio_source_type,
        voice_properties: request.voice_properties,
        supported_service: request.supported_service ?? (request.is_flexus ? ['VIDEO_2D'] : [...DEFAULT_SUPPORTED_SERVICE]),
        beauty_level: 0,
        is_mask_file_uploaded: false,
        flexus_retry_count: request.is_flexus ? DEFAULT_FLEXUS_RETRY_COUNT : undefined,
        command_message: request.command_message ?? 'UPLOAD_VIDEO',
        video_multipart_count: request.video_multipart_count ?? 1,
        action_video_multipart_count: request.action_video_multipart_count ?? 1,
      };
      const job: TrainingJob = {
        jobId: newId(),
        projectId: scope.projectId,
        appUserId: scope.appUserId ?? null,
        name: request.name,
        state: 'WAIT_FILE_UPLOAD',
        createTime: createdAt,
        lastUpdateTime: createdAt,
        version: 1,
        attributes: withoutUndefined(attributes),
      };
      return jobs.transaction(async (repository) => {
        await repository.insertJob(job);
        await repository.appendOperationLog(job.jobId, { operateTime: createdAt, logType: 'USER_CREATE_JOD', operateUser: 'USER' });
        const kinds = uploadKindsFor(job.attributes.command_message, job.attributes.audio_source_type);
        return (await issueUploadUrls(repository, job, kinds, createdAt)).fields;
      });
    },

    async listJobs(scope: JobScope, query: List2dModelTrainingJobQuery): Promise<List2dModelTrainingJobResponse> {
      // query_project_id can only name the caller's own project: another project's jobs are never listed.
      if (query.query_project_id !== undefined && query.query_project_id !== scope.projectId) return { count: 0, jobs: [] };
      const filter: ListJobsFilter = {
        scope,
        states: query.state === undefined ? undefined : parseStates(query.state),
        createSince: parseTimeParameter('create_since', query.create_since),
        createUntil: parseTimeParameter('create_until', query.create_until, 'upper'),
        updateSince: parseTimeParameter('update_since', query.update_since),
        updateUntil: parseTimeParameter('update_until', query.update_until, 'upper'),
        batchName: query.batch_name,
        tag: query.tag,
        jobId: query.job_id,
        name: query.name,
        modelResolution: query.model_resolution,
        trainLocation: query.train_location,
        isFlexus: query.is_flexus,
        isLiveCopy: query.is_live_copy,
        isOndemandResource: query.is_ondemand_resource,
        sortKey: query.sort_key ?? 'create_time',
        sortDir: query.sort_dir ?? 'asc',
        offset: query.offset ?? 0,
        limit: query.limit ?? 10,
      };
      const { count, jobs: page } = await jobs.listJobs(filter);
      return { count, jobs: await views.listItems(jobs, page, now()) };
    },

    async showJob(scope: JobScope, jobId: string): Promise<Show2dModelTrainingJobResponse> {
      await collectDirectUploads(scope, jobId);
      const details = await jobs.findJobDetails(scope, jobId);
      if (!details) throw new ApiError('JOB_NOT_FOUND', jobId);
      onJobShown?.(jobId);
      return views.showResponse(details, now());
    },

    /** The delivered model (avatarforge extension): the compiled model, its test video and report, scoped like Show. */
    async showModel(scope: JobScope, jobId: string): Promise<ShowTrainingJobModelResponse> {
      return deliveredModelOf({ jobs, blobs, downloadUrl: views.downloadUrl }, await findJobOrFail(jobs, scope, jobId), now());
    },

    async updateJob(scope: JobScope, jobId: string, request: Update2dModelTrainingJobReq): Promise<Create2dModelTrainingJobResponse> {
      const updatedAt = now();
      const { fields, leftovers } = await jobs.transaction(async (repository) => {
        const job = await findJobOrFail(repository, scope, jobId);
        if (!UPDATABLE_STATES.includes(job.state)) {
          throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; Update is allowed in ${UPDATABLE_STATES.join(', ')}`);
        }
        checkSupportedService(job.attributes.is_flexus, request.supported_service);
        const changes = Object.fromEntries(UPDATABLE_ATTRIBUTES.flatMap((field) => (request[field] === undefined ? [] : [[field, request[field]]])));
        const attributes: JobAttributes = {
          ...job.attributes,
          ...changes,
          ...(request.samples_basic_info !== undefined && { samples: request.samples_basic_info }),
        };
        const updated: TrainingJob = {
          ...job,
          name: request.name ?? job.name,
          attributes,
          lastUpdateTime: updatedAt,
          version: job.version + 1,
        };
        if (!(await repository.updateJob(updated, job.version))) throw new ApiError('STATE_CHANGED_CONCURRENTLY');
        if (request.command_message === 'UPDATE_VIDEO') {
          await repository.appendOperationLog(jobId, { operateTime: updatedAt, logType: 'USER_UPDATE_VIDEO', operateUser: 'USER' });
        }
        return issueUploadUrls(repository, updated, uploadKindsFor(request.command_message, attributes.audio_source_type), updatedAt);
      });
      await discard(leftovers);
      return fields;
    },

    async deleteJob(scope: JobScope, jobId: string): Promise<void> {
      await jobs.transaction(async (repository) => {
        const job = await findJobOrFail(repository, scope, jobId);
        if (!DELETABLE_STATES.includes(job.state)) {
          throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; Delete is allowed in ${DELETABLE_STATES.join(', ')}`);
        }
        await retireJobAssets(repository, jobId, now());
        await repository.deleteJob(jobId);
      });
      // Every byte of the job lives under this prefix: videos, parts, ID images, attachments.
      await blobs.deletePrefix(`jobs/${jobId}/`);
    },

    async executeCommand(
      scope: JobScope,
      jobId: string,
      request: Execute2dModelTrainingCommandByUserReq,
    ): Promise<Execute2dModelTrainingCommandByUserResponse> {
      const success = { commond_result: 'EXCUTE_SUCCESS' } as const;
      const at = now();
      switch (request.command) {
        case 'GET_MULTIPART_UPLOADED':
        case 'GET_ACTION_VIDEO_MULTIPART_UPLOADED': {
          const fileKind = request.command === 'GET_MULTIPART_UPLOADED' ? 'training_video' : 'action_video';
          await findJobOrFail(jobs, scope, jobId);
          const upload = await jobs.findMultipartUpload(jobId, fileKind);
          const parts = !upload
            ? []
            : upload.storeUploadId !== null
              ? await direct!.listParts(upload.blobKey!, upload.storeUploadId)
              : await jobs.listMultipartParts(upload.uploadId);
          return { ...success, multipart_data: parts.map((part) => ({ part_number: String(part.partNumber), etag: `"${part.etag}"` })) };
        }
        case 'CONFIRM_MULTIPART_UPLOADED':
          await completeMultipartUpload(scope, jobId, 'training_video');
          return success;
        case 'CONFIRM_ACTION_VIDEO_MULTIPART_UPLOADED':
          await completeMultipartUpload(scope, jobId, 'action_video');
          return success;
        case 'CONFIRM_AUTHORIZATION_LETTER': {
          const job = await findJobOrFail(jobs, scope, jobId);
          await collectDirectUploads(scope, jobId);
          if (!UPLOAD_STATES.includes(job.state)) {
            throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; allowed in ${UPLOAD_STATES.join(', ')}`);
          }
          if (!(await jobs.findFile(jobId, 'grant_file'))) throw new ApiError('REQUIRED_FILE_MISSING', 'grant_file (authorization letter)');
          return success;
        }
        case 'SUBMITVERIFYING':
          await collectDirectUploads(scope, jobId);
          await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            if (UPLOAD_STATES.includes(job.state)) await checkRequiredFiles(repository, job);
            await applyTransition(repository, job, 'SUBMIT', 'USER', at, {}, { lastUpdateTime: at });
          });
          return success;
        case 'CONFIRM_ACCEPT':
          await jobs.transaction(async (repository) => {
            await applyTransition(repository, await findJobOrFail(repository, scope, jobId), 'USER_ACCEPT', 'USER', at);
          });
          return success;
        case 'CONFIRM_REJECT': {
          const attachmentUrls = await jobs.transaction(async (repository) => {
            const job = await applyTransition(repository, await findJobOrFail(repository, scope, jobId), 'USER_REJECT', 'USER', at, {
              logDescription: request.operation_reason ?? request.comment_data?.comment_message,
            });
            return addComment(repository, uploads, { jobId: job.jobId, commentType: 'USER_REJECT', comment: request.comment_data, at });
          });
          return { ...success, attachment_upload_url: attachmentUrls };
        }
        case 'CONFIRM_ANSWER': {
          const attachmentUrls = await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            const allowed: JobState[] = ['WAIT_USER_CONFIRM', 'JOB_REJECT'];
            if (!allowed.includes(job.state)) throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; allowed in ${allowed.join(', ')}`);
            return addComment(repository, uploads, { jobId: job.jobId, commentType: 'USER_COMMENT', comment: request.comment_data, at });
          });
          return { ...success, attachment_upload_url: attachmentUrls };
        }
        case 'CONFIRM_PENDING':
          await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            await applyTransition(repository, job, 'USER_SUSPEND', 'USER', at, {}, { attributes: { ...job.attributes, suspended_from: job.state } });
          });
          return success;
        case 'CONFIRM_ACTIVE':
          await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            const { suspended_from: suspendedFrom, ...attributes } = job.attributes;
            await applyTransition(repository, job, `USER_RESUME_TO_${suspendedFrom ?? 'WAIT_USER_CONFIRM'}`, 'USER', at, {}, { attributes });
          });
          return success;
        case 'CONFIRM_REPAIR':
          await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            const retriesLeft = job.attributes.flexus_retry_count;
            if (job.attributes.is_flexus && (retriesLeft ?? 0) <= 0) {
              throw new ApiError('STATE_NOT_ALLOWED', 'no retrains left for this Flexus job (flexus_retry_count is 0)');
            }
            const attributes = job.attributes.is_flexus ? { ...job.attributes, flexus_retry_count: (retriesLeft ?? 0) - 1 } : job.attributes;
            await applyTransition(repository, job, 'USER_REPAIR', 'USER', at, { logDescription: request.operation_reason }, { attributes });
          });
          return success;
        case 'DELETE_JOB_VIDEO': {
          const deleted = await jobs.transaction(async (repository) => {
            const job = await findJobOrFail(repository, scope, jobId);
            if (!COMPLETED_STATES.includes(job.state)) {
              throw new ApiError('STATE_NOT_ALLOWED', `state is ${job.state}; allowed in ${COMPLETED_STATES.join(', ')}`);
            }
            const files = await repository.deleteFiles(jobId, ['training_video', 'action_video', 'markable_video', 'markable_action_video', 'verify_video']);
            await repository.appendOperationLog(jobId, { operateTime: at, logType: 'USER_DELETE_JOB_VIDEO', operateUser: 'USER' });
            return files;
          });
          await deleteBlobs(deleted.map((file) => file.blobKey));
          return success;
        }
      }
    },

    /**
     * Receives the bytes for a single-use upload URL. The bytes stream to a blob under a fresh key;
     * the slot is marked used and the file recorded in one transaction only after all of them arrived.
     */
    async receiveUpload(slotId: string, body: Readable): Promise<{ etag: string }> {
      const slot = await jobs.findUploadSlot(slotId);
      if (!slot) throw new ApiError('URL_SIGNATURE_INVALID', 'this upload URL was replaced by a newer one or its job was deleted');
      if (slot.usedAt !== null) throw new ApiError('UPLOAD_URL_USED');
      const fileVersion = newId();
      const blobKey =
        slot.uploadId === null
          ? fileBlobKey(slot.jobId, slot.fileKind, fileVersion)
          : `jobs/${slot.jobId}/parts/${slot.uploadId}/${slot.partNumber}-${fileVersion}`;
      const maxBytes = slot.fileKind === 'uploaded_audio' ? settings.maxAudioUploadBytes : settings.maxUploadBytes;
      const stored = await blobs.put(blobKey, body, maxBytes);
      const uploadedAt = now();
      const outcome = await jobs.transaction(async (repository) => {
        if (slot.fileKind === 'uploaded_audio') {
          // Checked before the URL is used up: once space is freed, the same URL works.
          const beside = await repository.storedAudioBytesBeside(slot.jobId);
          if (beside + stored.size > settings.maxStoredAudioBytes) {
            return {
              error: 'AUDIO_STORAGE_FULL' as const,
              message: `the project's audio files hold ${beside} bytes; with these ${stored.size} they would pass its limit of ${settings.maxStoredAudioBytes} (DeleteAsset with mode=force, or the recycle bin's 7 days, frees an audio file's bytes)`,
            };
          }
        }
        if (!(await repository.markUploadSlotUsed(slotId, uploadedAt))) return { error: 'UPLOAD_URL_USED' as const };
        if (slot.uploadId !== null) {
          const upload = await repository.findMultipartUpload(slot.jobId, slot.fileKind);
          if (upload?.uploadId !== slot.uploadId) return { error: 'URL_SIGNATURE_INVALID' as const };
          const replaced = await repository.putMultipartPart({
            uploadId: slot.uploadId,
            partNumber: slot.partNumber!,
            blobKey,
            size: stored.size,
            etag: stored.md5,
            uploadedAt,
          });
          return { staleBlobKey: replaced?.blobKey };
        }
        const replaced = await repository.putFile({
          jobId: slot.jobId,
          fileKind: slot.fileKind,
          fileVersion,
          blobKey,
          size: stored.size,
          etag: stored.md5,
          createdAt: uploadedAt,
        });
        if (slot.fileKind === 'uploaded_audio') await activateAudioAsset(repository, slot.jobId, uploadedAt);
        return { staleBlobKey: replaced?.blobKey };
      });
      if ('error' in outcome && outcome.error) {
        await deleteBlobs([blobKey]);
        throw new ApiError(outcome.error, 'message' in outcome ? outcome.message : undefined);
      }
      if (outcome.staleBlobKey) await deleteBlobs([outcome.staleBlobKey]);
      return { etag: `"${stored.md5}"` };
    },

    /** Opens the bytes behind a download URL whose signature the caller has checked. */
    async openDownload(
      jobId: string,
      fileKind: string,
      fileVersion: string,
      range?: { start: number; end?: number },
    ): Promise<{ stream: Readable; size: number; totalSize: number; start: number; etag: string; contentType: string } | undefined> {
      const file = await jobs.findFile(jobId, fileKind);
      if (!file || file.fileVersion !== fileVersion) return undefined;
      if (range && (range.start >= file.size || (range.end !== undefined && range.end < range.start))) {
        return undefined;
      }
      const end = range ? Math.min(range.end ?? file.size - 1, file.size - 1) : file.size - 1;
      const start = range?.start ?? 0;
      const opened = await blobs.read(file.blobKey, range ? { start, end } : undefined);
      if (!opened) return undefined;
      const kind = Object.values(FILE_KINDS).find((candidate) => candidate.kind === fileKind);
      return {
        stream: opened.stream,
        size: file.size === 0 ? 0 : end - start + 1,
        totalSize: file.size,
        start,
        etag: `"${file.etag}"`,
        contentType: kind?.contentType ?? 'application/octet-stream',
      };
    },
  };

  async function checkRequiredFiles(repository: JobRepository, job: TrainingJob): Promise<void> {
    const required: string[] = ['training_video'];
    if (settings.requireIdentityFiles) required.push(...IDENTITY_FILE_KINDS);
    if (job.attributes.audio_source_type === 'AUDIO') required.push('audio');
    const present = new Set((await repository.listFiles([job.jobId], required)).map((file) => file.fileKind));
    const missing = required.filter((kind) => !present.has(kind));
    if (missing.length === 0) return;
    const videoHint =
      missing.includes('training_video') && (await repository.findMultipartUpload(job.jobId, 'training_video'))
        ? ' (upload every part, then run CONFIRM_MULTIPART_UPLOADED)'
        : '';
    throw new ApiError('REQUIRED_FILE_MISSING', `${missing.join(', ')}${videoHint}`);
  }
}

export type TrainingJobService = ReturnType<typeof createTrainingJobService>;

function checkSupportedService(isFlexus: boolean | undefined, supportedService: readonly string[] | undefined): void {
  if (isFlexus && supportedService?.some((service) => service !== 'VIDEO_2D')) {
    throw new ApiError('PARAMETER_VALIDATION', 'supported_service of a Flexus job may only be VIDEO_2D');
  }
}
