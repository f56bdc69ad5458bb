import { rfc3339 } from '../trainingJobWire.js';
import { languageDescription, SPEECH_LANGUAGE } from './liveRooms.js';
import type { SmartChatJob, SmartChatRoom } from './liveSession.js';
import { UNFINISHED_JOB_STATES } from './liveSession.js';

/*
 * Rooms and jobs as the API answers them. A field avatarforge has no value for is left out (the
 * SDKs read a missing field as unset); the media fields (rtc_room_info, chat_access_address,
 * region) stay out until the media slice hands out avatarforge's own endpoints.
 */

/** ShowSmartChatRoom and UpdateSmartChatRoom. */
export function roomView(room: SmartChatRoom) {
  const { chat_resource_config: resources, ...settings } = room.settings;
  return {
    ...settings,
    room_name: room.roomName,
    room_id: room.roomId,
    create_time: rfc3339(room.createTime),
    update_time: rfc3339(room.updateTime),
    is_pool_mode: false,
    // No billing system: a resource named at Create is answered as the tenant's own, active.
    ...(resources && {
      chat_resource_config: resources.map((resource) => ({
        resource_id: resource.resource_id,
        ...(resource.count_resource !== undefined && { count_resource: resource.count_resource, resource_nums: resource.count_resource, resource_available_nums: resource.count_resource }),
        resource_source: 'PURCHASED' as const,
        status: 'ACTIVE' as const,
      })),
    }),
  };
}

/** A ListSmartChatRooms element. */
export function roomSummaryView(room: SmartChatRoom, modelName: string | undefined) {
  const settings = room.settings;
  return {
    room_id: room.roomId,
    room_name: room.roomName,
    ...(settings.room_description !== undefined && { room_description: settings.room_description }),
    ...(settings.robot_id !== undefined && { robot_id: settings.robot_id }),
    model_infos: { model_asset_id: room.modelAssetId, ...(modelName !== undefined && { asset_name: modelName }) },
    ...(settings.voice_config && { voice_config: settings.voice_config }),
    billing_mode: room.billingMode,
    reuse_resource: settings.reuse_resource ?? false,
    concurrency: room.concurrency,
    ...(settings.client_nums !== undefined && { client_nums: settings.client_nums }),
    ...(settings.voice_config_list && {
      voice_config_list: settings.voice_config_list.map((voice) => ({ ...voice, ...(voice.language && { language_desc: languageDescription(voice.language as 'CN' | 'EN') }) })),
    }),
    ...(settings.default_language && { default_language: settings.default_language }),
    create_time: rfc3339(room.createTime),
    update_time: rfc3339(room.updateTime),
    ...(settings.exit_mute_threshold !== undefined && { exit_mute_threshold: settings.exit_mute_threshold }),
  };
}

/** The job's settings as Start, Show and List answer them. */
function sessionFields(job: SmartChatJob) {
  const { session } = job;
  return {
    ...(session.subtitle && { chat_subtitle_config: session.subtitle }),
    video_config: { width: session.width, height: session.height },
    voice_config_list: session.voices.map((voice) => ({ ...voice, language_desc: languageDescription(voice.language) })),
    ...(session.chatVideoType && { chat_video_type: session.chatVideoType }),
    is_transparent: false,
    default_language: session.defaultLanguage,
  };
}

/** StartSmartChatJob's answer. */
export function jobStartView(job: SmartChatJob) {
  return { job_id: job.jobId, language: SPEECH_LANGUAGE[job.session.defaultLanguage], ...sessionFields(job) };
}

/** A ListSmartChatJob element; `now` measures a job that has not ended. */
export function jobSummaryView(job: SmartChatJob, now: number) {
  const ended = job.endTime ?? (UNFINISHED_JOB_STATES.includes(job.state) ? now : job.lastUpdateTime);
  return {
    job_id: job.jobId,
    state: job.state,
    duration: Math.max(0, ended - job.startTime) / 1000,
    start_time: rfc3339(job.startTime),
    ...(job.endTime !== null && { end_time: rfc3339(job.endTime) }),
    ...(job.errorCode !== null && { error_info: { error_code: job.errorCode, error_msg: job.errorMsg ?? '' } }),
    create_time: rfc3339(job.createTime),
    lastupdate_time: rfc3339(job.lastUpdateTime),
    ...sessionFields(job),
    ...(job.clientId !== null && { client_id: job.clientId }),
    is_pool_mode: false,
    ...(job.finishReason !== null && { job_finish_reason: job.finishReason }),
  };
}

/** ShowSmartChatJob's answer. */
export function jobView(job: SmartChatJob, now: number) {
  return {
    ...jobSummaryView(job, now),
    // 0: waiting for the link to be set up; the media slice moves it on. Not sent once the job ended.
    ...(UNFINISHED_JOB_STATES.includes(job.state) && { chat_state: 0 }),
    language: SPEECH_LANGUAGE[job.session.defaultLanguage],
  };
}
