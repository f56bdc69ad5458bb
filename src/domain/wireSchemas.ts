/**
 * Wire schemas of the MetaStudio 2D model training-job API (TypeBox / JSON Schema).
 *
 * Source of truth: `spec/training-jobs.openapi.yaml` (components.schemas), the
 * companion `training-jobs-api.md` (§4, §6, §7, §9) and the Show API reference
 * page (which adds `beauty_level` and the ranges of VerifyVideoMattingInfo,
 * ActionSampleInfo.recommended_value and flexus_retry_count).
 * JSON names and enum values are wire values, misspellings included
 * (`traning_video_mark_info`, `commond_result`, `excute_failed_msg`, ...).
 * `test/domain/wireSchemas.test.ts` checks property names, JSON types,
 * required lists, enums, ranges and defaults against the OpenAPI file.
 *
 * Conventions:
 * - Plain schemas without `$id`; each value has a same-named `Static` type.
 * - `additionalProperties` is never forbidden: SDKs of newer releases may send
 *   fields we do not know yet, and responses may grow.
 * - No `format: int32/int64` keywords (Ajv in strict mode rejects unknown
 *   formats); int32 fields carry explicit int32 bounds instead.
 * - Request `default`s are documentation only: the domain layer fills the same
 *   defaults itself, so behaviour does not depend on the validator running with
 *   `useDefaults` (Fastify's Ajv does; the values agree, so that is harmless).
 * - Response schemas carry NO `default` keyword: fast-json-stringify would
 *   serialise the default for an absent property, and the cloud omits absent
 *   fields (see the Show example). Documented response defaults are in the
 *   description text instead.
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import {
  ACTION_TYPES,
  AUDIO_SOURCE_TYPES,
  CHARGE_MODES,
  COMMANDS,
  COMMAND_MESSAGES,
  COMMAND_RESULTS,
  COMMENT_TYPES,
  JOB_STATES,
  LIST_SORT_KEYS,
  LOG_TYPES,
  MATTING_METHODS,
  MATTING_TYPES,
  MODEL_VERSIONS,
  OPERATE_USERS,
  ROTATION_STATES,
  SORT_DIRECTIONS,
  SUPPORTED_SERVICES,
  VOICE_JOB_TAGS,
  VOICE_LANGUAGES,
  VOICE_SEXES,
} from './enums.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

interface EnumOptions {
  description?: string;
  default?: string;
  minLength?: number;
  maxLength?: number;
}

/** A string enum rendered as a compact `{ type: 'string', enum: [...] }`. */
export function enumOf<T extends string>(values: readonly T[], options: EnumOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** int32 integer; the int32 bounds apply unless the spec gives a range. */
function int32(description: string, range: { minimum?: number; maximum?: number; default?: number } = {}) {
  return Type.Integer({ description, minimum: INT32_MIN, maximum: INT32_MAX, ...range });
}

const str = (description: string) => Type.String({ description });
const bool = (description: string) => Type.Boolean({ description });
const strArray = (description: string) => Type.Array(Type.String(), { description });
/** RFC 3339 timestamp in a response. fast-json-stringify passes strings through and ISO-formats Dates. */
const dateTime = (description: string) => Type.String({ description, format: 'date-time' });
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

// ---------------------------------------------------------------------------
// Enum schemas (exported for reuse by routes / the OpenAPI document)
// ---------------------------------------------------------------------------

export const JobStateSchema = enumOf(JOB_STATES, {
  description: 'State of a training job (61 values, SDK order; console grouping in spec §3.1).',
});
export const LogTypeSchema = enumOf(LOG_TYPES, {
  description: 'Kind of operation-log entry (101 values; USER_CREATE_JOD and MANUL_STOP_ACTION_MARK are wire spellings).',
});
export const OperateUserSchema = enumOf(OPERATE_USERS, {
  description: 'Who performed the logged operation: customer, administrator or the system.',
});
export const CommentTypeSchema = enumOf(COMMENT_TYPES, { description: 'Kind of comment.' });
export const MattingMethodSchema = enumOf(MATTING_METHODS, {
  description: 'Keying rule of the rectangle: RESERVED keep (no keying), DELETE key out green, NO_DEGREEN no spill removal.',
});
export const ActionTypeSchema = enumOf(ACTION_TYPES, {
  description: 'Kind of marked segment: SILENCE idle, ACTION gesture.',
});
export const ChargeModeSchema = enumOf(CHARGE_MODES, {
  description: 'How the consumed resource is billed: PERIODIC subscription, ONE_TIME one-off, ON_DEMAND pay per use.',
});
export const AudioSourceTypeSchema = enumOf(AUDIO_SOURCE_TYPES, {
  description: 'Where the voice-training audio comes from: VIDEO extracted from the training video, AUDIO separate upload.',
});
export const ModelVersionSchema = enumOf(MODEL_VERSIONS, {
  description: 'Avatar model version. Default V3.2; V2 and V3 deprecated; V3.3 is used by fast Flexus training.',
});
export const MattingTypeSchema = enumOf(MATTING_TYPES, {
  description: 'Matting (cut-out) method. Default AI.',
});
/** Free string on the wire (the SDKs type it as string); documented values 1080P and 4K. */
export const ModelResolutionSchema = Type.String({
  description: 'Model resolution: 1080P (default; outputs 1080P and 720P) or 4K (outputs 4K, 1080P and 720P).',
  examples: ['1080P', '4K'],
});
export const SupportedServiceSchema = enumOf(SUPPORTED_SERVICES, {
  description: 'Business type the model may be used for. Flexus models allow only VIDEO_2D.',
});
export const RotationStateSchema = enumOf(ROTATION_STATES, {
  description: 'State of the background job that rotates an uploaded video.',
});
export const CommandResultSchema = enumOf(COMMAND_RESULTS, {
  description: 'Outcome of a command (wire spelling): EXCUTE_SUCCESS accepted, EXCUTE_FAILED failed.',
});
export const VoiceJobTagSchema = enumOf(VOICE_JOB_TAGS, {
  description: 'Style tag of a Flexus voice: e-commerce, news or marketing.',
});
export const VoiceSexSchema = enumOf(VOICE_SEXES, { description: 'Gender of the voice.' });
export const VoiceLanguageSchema = enumOf(VOICE_LANGUAGES, {
  description: 'Training language (CN Chinese, EN English); the SDK text says only Chinese is supported at present.',
});

/** CommandMessage; length 0-64 documented [D]. `def` is only set where the spec documents a default. */
function commandMessage(def?: 'UPLOAD_VIDEO') {
  return enumOf(COMMAND_MESSAGES, {
    description:
      'Qualifier telling the server what the call is for: UPDATE_VIDEO, UPLOAD_VIDEO' +
      (def ? ' (default)' : '') +
      ', CONFIRM_ACTION_VIDEO, GET_ACTION_VIDEO_MULTIPART. Length 0-64.',
    minLength: 0,
    maxLength: 64,
    ...(def ? { default: def } : {}),
  });
}
export const CommandMessageSchema = commandMessage();
export const CommandSchema = enumOf(COMMANDS, {
  description: 'Tenant command (13 values). Length 0-64.',
  minLength: 0,
  maxLength: 64,
});

// ---------------------------------------------------------------------------
// Shared objects
// ---------------------------------------------------------------------------

export const ErrorResponse = Type.Object(
  {
    error_code: opt(
      Type.String({ description: 'MetaStudio error code, `MSS.` followed by eight digits.', examples: ['MSS.00000003'] }),
    ),
    error_msg: opt(Type.String({ description: 'Human-readable description of the error.', examples: ['Invalid parameter'] })),
  },
  { description: 'Error body of every non-2xx response; also embedded as error_info in a failed command result.' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Used in requests (Create/Update) and in the Show response. */
export const VoiceProperties = Type.Object(
  {
    job_tag: VoiceJobTagSchema,
    sex: VoiceSexSchema,
    language: VoiceLanguageSchema,
  },
  { description: 'Voice settings for Flexus (basic-edition) jobs; standard voices do not use it.' },
);
export type VoiceProperties = Static<typeof VoiceProperties>;

/** Request item (Update.samples_basic_info). */
export const ActionBasicSampleInfo = Type.Object(
  {
    action_name_zh: opt(Type.String({ description: 'Atomic action name in Chinese.', maxLength: 128 })), // our limit; spec silent
    action_name_en: opt(Type.String({ description: 'Atomic action name in English.', maxLength: 128 })), // our limit; spec silent
    action_tag: Type.String({ description: 'Tag identifying the action.', maxLength: 128 }), // our limit; spec silent
    catalog: opt(Type.String({ description: 'Category of the action.', maxLength: 128 })), // our limit; spec silent
    // 0-100 is documented on ActionSampleInfo (Show page); applied to the editable copy as well.
    recommended_value: opt(int32('Recommendation level, 0-100.', { minimum: 0, maximum: 100 })),
    is_selected: opt(bool('Whether this action is chosen (Show documents default true).')),
  },
  { description: 'Editable information about one atomic-action sample (sent on Update).' },
);
export type ActionBasicSampleInfo = Static<typeof ActionBasicSampleInfo>;

/** Response item (Show.samples). */
export const ActionSampleInfo = Type.Object(
  {
    action_name_zh: opt(str('Atomic action name in Chinese.')),
    action_name_en: opt(str('Atomic action name in English.')),
    action_tag: str('Tag identifying the action.'),
    catalog: opt(str('Category of the action.')),
    recommended_value: opt(int32('Recommendation level, 0-100.', { minimum: 0, maximum: 100 })),
    is_selected: opt(bool('Whether this action is chosen. Default true.')),
    sample_download_url: opt(str('Sample clip. Signed URL, valid for 24 hours.')),
  },
  { description: 'One atomic-action sample as shown by Show: the editable fields plus a sample download link.' },
);
export type ActionSampleInfo = Static<typeof ActionSampleInfo>;

export const TrainingVideoMarkInfo = Type.Object(
  {
    video_start_time: opt(Type.String({ description: 'Start, format HH:MM:SS.mmm.', examples: ['00:00:05.000'] })),
    video_end_time: opt(Type.String({ description: 'End, format HH:MM:SS.mmm.', examples: ['00:04:30.000'] })),
  },
  { description: 'Portion of the training video that is used (held by the misspelled field `traning_video_mark_info`).' },
);
export type TrainingVideoMarkInfo = Static<typeof TrainingVideoMarkInfo>;

export const InferenceVideoMarkInfo = Type.Object(
  {
    video_start_time: opt(str('Start of the inference segment, HH:MM:SS.mmm.')),
    video_end_time: opt(str('End of the inference segment, HH:MM:SS.mmm.')),
    chat_video_start_time: opt(str('Start of the interactive-chat inference segment, HH:MM:SS.mmm.')),
    chat_video_end_time: opt(str('End of the interactive-chat inference segment, HH:MM:SS.mmm.')),
  },
  { description: 'Portions of the video used for inference-data preprocessing.' },
);
export type InferenceVideoMarkInfo = Static<typeof InferenceVideoMarkInfo>;

export const ActionMarkItem = Type.Object(
  {
    action_start_time: opt(str('Segment start, HH:MM:SS.mmm.')),
    action_end_time: opt(str('Segment end, HH:MM:SS.mmm.')),
    action_type: opt(ActionTypeSchema),
  },
  { description: 'One marked segment.' },
);
export type ActionMarkItem = Static<typeof ActionMarkItem>;

export const InferenceActionMarkInfo = Type.Object(
  {
    action_info: opt(Type.Array(ActionMarkItem, { description: 'Marked segments.' })),
  },
  { description: 'Action marks used for inference-data preprocessing.' },
);
export type InferenceActionMarkInfo = Static<typeof InferenceActionMarkInfo>;

export const InferenceEyeCorrectionMarkInfo = Type.Object(
  {
    eye_correction_start_time: opt(str('Start, HH:MM:SS.mmm.')),
    eye_correction_end_time: opt(str('End, HH:MM:SS.mmm.')),
  },
  { description: 'Span used for eye-gaze correction during inference preprocessing.' },
);
export type InferenceEyeCorrectionMarkInfo = Static<typeof InferenceEyeCorrectionMarkInfo>;

/** Ranges from the Show API reference page. */
export const VerifyVideoMattingInfo = Type.Object(
  {
    dx: opt(int32('X of the top-left pixel, 0-3840.', { minimum: 0, maximum: 3840 })),
    dy: opt(int32('Y of the top-left pixel, 0-3840.', { minimum: 0, maximum: 3840 })),
    width: opt(int32('Width in pixels, 1-7680.', { minimum: 1, maximum: 7680 })),
    height: opt(int32('Height in pixels, 1-7680.', { minimum: 1, maximum: 7680 })),
    method: opt(MattingMethodSchema),
  },
  { description: 'A rectangle of the frame with a keying rule, used when the verification video is produced.' },
);
export type VerifyVideoMattingInfo = Static<typeof VerifyVideoMattingInfo>;

export const OperationLogInfo = Type.Object(
  {
    operate_time: opt(
      Type.String({ description: 'When it happened, RFC 3339.', format: 'date-time', examples: ['2020-07-30T10:43:17Z'] }),
    ),
    log_type: opt(LogTypeSchema),
    log_description: opt(str('Free text; holds the review opinion when automatic or manual review rejects the job.')),
    operate_user: opt(OperateUserSchema),
    error_code: opt(
      Type.String({
        description: 'Code of an automatic rejection, e.g. 44005901 = video resolution not 1920x1080/1080x1920/3840x2160/2160x3840.',
        examples: ['44005901'],
      }),
    ),
    redo_reasons: opt(strArray('Reasons an administrator gave for re-running the job.')),
  },
  { description: "One entry of the job's append-only operation log." },
);
export type OperationLogInfo = Static<typeof OperationLogInfo>;

export const CommentLogInfo = Type.Object(
  {
    operate_time: opt(dateTime('When, RFC 3339.')),
    comment_type: opt(CommentTypeSchema),
    comment_title: opt(str('Title.')),
    comment_message: opt(str('Text.')),
    attachment_download_url: opt(strArray('Download URLs of the attachments.')),
  },
  { description: "One comment in the job's discussion history." },
);
export type CommentLogInfo = Static<typeof CommentLogInfo>;

/** Request object (Execute command `comment_data`). */
export const CommentData = Type.Object(
  {
    comment_title: opt(Type.String({ description: 'Title.', maxLength: 256 })), // our limit; spec silent
    comment_message: opt(Type.String({ description: 'Text.', maxLength: 4096 })), // our limit; spec silent
    attachment_name: opt(
      Type.Array(Type.String({ maxLength: 128 }), {
        description: 'Names of attachments; the response returns one upload URL per name, in the same order.',
        maxItems: 10,
      }),
    ), // our limit; spec silent (10 names, 128 chars each)
  },
  { description: 'Comment submitted with a command (CONFIRM_REJECT / CONFIRM_ANSWER).' },
);
export type CommentData = Static<typeof CommentData>;

export const MultipartUploadInfo = Type.Object(
  {
    part_number: opt(Type.String({ description: 'Part number (a string on the wire).', examples: ['1'] })),
    etag: opt(str('ETag of the stored part.')),
  },
  { description: 'A training-video part that has already been uploaded.' },
);
export type MultipartUploadInfo = Static<typeof MultipartUploadInfo>;

export const TrainingAllocatedResource = Type.Object(
  {
    resource_id: opt(str('Resource ID.')),
    charge_mode: opt(ChargeModeSchema),
    expire_time: opt(
      Type.String({ description: 'Expiry, RFC 3339.', format: 'date-time', examples: ['2021-01-10T08:43:17Z'] }),
    ),
  },
  { description: 'Resource the job consumed.' },
);
export type TrainingAllocatedResource = Static<typeof TrainingAllocatedResource>;

export const SubTrainingJobInfoDto = Type.Object(
  {
    job_id: opt(str('Sub-task ID.')),
    sub_job_type: opt(str('Sub-task type (values not published).')),
    heart_beat_id: opt(str('Heartbeat ID of the sub-task.')),
    state: opt(str('Sub-task state (values not published).')),
    // int64 on the wire; epoch milliseconds assumed (spec §9.8: unlike every other time, an integer).
    create_time: opt(Type.Integer({ description: 'Creation time as an integer (epoch milliseconds assumed).' })),
    last_update_time: opt(Type.Integer({ description: 'Last update time as an integer (epoch milliseconds assumed).' })),
  },
  { description: 'A sub-task of the job.' },
);
export type SubTrainingJobInfoDto = Static<typeof SubTrainingJobInfoDto>;

// ---------------------------------------------------------------------------
// Job: list item and detail
// ---------------------------------------------------------------------------

const trainingJobBasicInfoProperties = {
  job_id: str('Job ID.'),
  name: str('Model name; also the name of the model asset in the asset library.'),
  state: JobStateSchema,
  asset_id: opt(str('ID of the produced model asset.')),
  project_id: opt(str('Project that owns the model asset.')),
  cover_download_url: opt(str('Cover image. Signed URL, valid for 24 hours.')),
  last_update_time: opt(dateTime('Last time the customer changed the job (creation or resubmission), RFC 3339.')),
  create_time: opt(dateTime('Creation time, RFC 3339.')),
  contact: opt(str("Phone number of the job's creator.")),
  batch_name: opt(str('Batch name.')),
  tags: opt(strArray('Job tags.')),
  model_version: opt(ModelVersionSchema),
  matting_type: opt(MattingTypeSchema),
  model_resolution: opt(ModelResolutionSchema),
  app_user_id: opt(str('The X-App-UserId supplied when the job was created.')),
  is_flexus: opt(bool('Basic-edition (Flexus) training.')),
  is_live_copy: opt(bool('Live-room replica job.')),
  is_fast_flexus: opt(bool('Fast Flexus edition.')),
  is_only_human_model: opt(bool('Only the appearance model is trained, not a voice; Flexus only; default false.')),
  optional_training_location: opt(strArray('Regions in which the job may be trained.')),
  is_background_replacement: opt(bool('The avatar needs background replacement (green-screen footage); default true.')),
  is_ondemand_resource: opt(bool('On-demand job.')),
};

export const TrainingJobBasicInfo = Type.Object(trainingJobBasicInfoProperties, {
  description: 'Summary of a training job (list item; also the first part of the Show response).',
});
export type TrainingJobBasicInfo = Static<typeof TrainingJobBasicInfo>;

/** Show-only properties, in the order of the spec's allOf (beauty_level placed as on the Show reference page). */
const showExtraProperties = {
  training_video_download_url: opt(str('Training video. Signed URL, valid for 24 hours.')),
  id_card_image1_download_url: opt(str('ID card, front. Signed URL, valid for 24 hours.')),
  id_card_image2_download_url: opt(str('ID card, back. Signed URL, valid for 24 hours.')),
  grant_file_download_url: opt(str('Authorization letter. Signed URL, valid for 24 hours.')),
  pre_beauty_image_download_url: opt(str('Image before whitening.')),
  external_action_json_data_download_url: opt(str('Externally supplied action JSON data.')),
  action_video_download_url: opt(str('Action (choreography) video.')),
  post_beauty_image_download_url: opt(str('Image after whitening.')),
  audio_file_download_url: opt(str('Audio file.')),
  action_mark_file_download_url: opt(str('Action-marking file.')),
  action_mark_file_upload_url: opt(str('Where an action-marking file can be uploaded.')),
  operation_logs: opt(Type.Array(OperationLogInfo, { description: 'Operation log, oldest first.' })),
  verify_video_matting_info: opt(
    Type.Array(VerifyVideoMattingInfo, {
      description: 'Areas excluded from (or forced into) keying for the verification video.',
    }),
  ),
  comment_logs: opt(Type.Array(CommentLogInfo, { description: 'Comment history.' })),
  samples: opt(Type.Array(ActionSampleInfo, { description: 'Action-video samples.' })),
  is_mask_file_uploaded: opt(bool('Whether the mask file has been uploaded.')),
  mask_file_download_url: opt(str('Mask file. Signed URL, valid for 24 hours.')),
  verify_video_download_url: opt(str('Verification (review) video.')),
  markable_video_download_url: opt(str('Video prepared for marking. Signed URL, valid for 24 hours.')),
  markable_action_video_download_url: opt(str('Action video prepared for marking. Signed URL, valid for 24 hours.')),
  traning_video_mark_info: opt(TrainingVideoMarkInfo), // sic: wire name
  inference_data_process_video_mark_info: opt(InferenceVideoMarkInfo),
  voice_properties: opt(VoiceProperties),
  inference_data_process_action_mark_info: opt(InferenceActionMarkInfo),
  inference_data_process_chat_action_mark_info: opt(InferenceActionMarkInfo),
  inference_data_process_eye_correction_mark_info: opt(InferenceEyeCorrectionMarkInfo),
  worker_type: opt(strArray('Machine types for the compile step (no values published).')),
  // Not in the OpenAPI file: documented on the Show API reference page (Integer, 0-3, default 0 = no whitening).
  beauty_level: opt(int32('Whitening level, 0-3; default 0 (no whitening).', { minimum: 0, maximum: 3 })),
  voice_train_job_id: opt(str('Linked voice-training job ID.')),
  flexus_retry_count: opt(
    int32('Retrains left for a Flexus job, 0-10; each retrain subtracts one; none allowed at zero.', {
      minimum: 0,
      maximum: 10,
    }),
  ),
  audio_source_type: opt(AudioSourceTypeSchema),
  supported_service: opt(
    Type.Array(SupportedServiceSchema, {
      description: 'Business types the model supports. Default [VIDEO_2D, LIVE_2D].',
    }),
  ),
  allocated_resource: opt(TrainingAllocatedResource),
  train_video_rotation_state: opt(RotationStateSchema),
  action_video_rotation_state: opt(RotationStateSchema),
  sub_training_job_info: opt(Type.Array(SubTrainingJobInfoDto, { description: 'Sub-tasks.' })),
};

/** One flat object schema: TrainingJobBasicInfo + Show extras (+ beauty_level). */
export const Show2dModelTrainingJobResponse = Type.Object(
  { ...trainingJobBasicInfoProperties, ...showExtraProperties },
  { description: 'Full job detail: every TrainingJobBasicInfo field plus files, logs, marks and settings.' },
);
export type Show2dModelTrainingJobResponse = Static<typeof Show2dModelTrainingJobResponse>;

export const List2dModelTrainingJobResponse = Type.Object(
  {
    count: opt(int32('Number of jobs matching the filter (all pages).')),
    jobs: opt(Type.Array(TrainingJobBasicInfo, { description: 'The jobs of this page.' })),
  },
  { description: 'One page of jobs.' },
);
export type List2dModelTrainingJobResponse = Static<typeof List2dModelTrainingJobResponse>;

const uploadUrlProperties = {
  job_id: opt(str('Job ID.')),
  training_video_upload_url: opt(
    strArray(
      'One URL per training-video part. PUT raw bytes with Content-Type application/octet-stream; each URL works for one ' +
        'successful upload. The video must be mp4, 1080p or 4K, 3 to 10 minutes long.',
    ),
  ),
  action_video_upload_url: opt(strArray('One URL per action-video part; same upload rules as the training video.')),
  audio_upload_url: opt(str('Audio training data; single use; PUT with Content-Type application/zip.')),
  cover_upload_url: opt(str('Model cover; single use; application/octet-stream.')),
  id_card_image1_upload_url: opt(str('ID card front; single use; mandatory for non-NA customers.')),
  id_card_image2_upload_url: opt(str('ID card back; single use; mandatory for non-NA customers.')),
  grant_file_upload_url: opt(str('Authorization letter; single use; mandatory for non-NA customers.')),
  pre_beauty_image_upload_url: opt(str('Image before whitening; application/octet-stream.')),
  post_beauty_image_upload_url: opt(str('Image after whitening; application/octet-stream.')),
};

export const Create2dModelTrainingJobResponse = Type.Object(uploadUrlProperties, {
  description: 'Job ID and pre-signed upload URLs (valid 24 hours).',
});
export type Create2dModelTrainingJobResponse = Static<typeof Create2dModelTrainingJobResponse>;

export const Update2dModelTrainingJobResponse = Type.Object(uploadUrlProperties, {
  description: 'Same shape as the Create response: fresh upload URLs.',
});
export type Update2dModelTrainingJobResponse = Static<typeof Update2dModelTrainingJobResponse>;

// ---------------------------------------------------------------------------
// Requests. Defaults below are documentation; the domain applies them itself.
// ---------------------------------------------------------------------------

const reqName = (description: string) => Type.String({ description, minLength: 1, maxLength: 64 }); // our limit; spec silent
const reqContact = () => Type.String({ description: "Phone number of the job's creator.", maxLength: 64 }); // our limit; spec silent
const reqBatchName = () => Type.String({ description: 'Batch name.', maxLength: 64 }); // our limit; spec silent
const reqTags = () =>
  Type.Array(Type.String({ maxLength: 64 }), { description: 'Job tags.', maxItems: 20 }); // our limit; spec silent
const reqSupportedService = (description: string) =>
  Type.Array(SupportedServiceSchema, { description, maxItems: 16 }); // our limit; spec silent
const multipartCount = (description: string, withDefault: boolean) =>
  Type.Integer({ description, minimum: 1, maximum: 1000, ...(withDefault ? { default: 1 } : {}) });

export const Create2dModelTrainingJobReq = Type.Object(
  {
    name: reqName('Model name; becomes the asset name in the asset library.'),
    contact: opt(reqContact()),
    command_message: opt(commandMessage('UPLOAD_VIDEO')),
    video_multipart_count: opt(
      multipartCount('How many parts the single training-video file is uploaded in, 1-1000. Default 1.', true),
    ),
    action_video_multipart_count: opt(multipartCount('How many parts the action video is uploaded in, 1-1000. Default 1.', true)),
    is_background_replacement: opt(
      Type.Boolean({
        description: 'The avatar needs background replacement; such footage must be shot on a green screen. Default true.',
        default: true,
      }),
    ),
    batch_name: opt(reqBatchName()),
    tags: opt(reqTags()),
    // The spec documents the default V3.2 on the ModelVersion component, not on this property.
    model_version: opt(enumOf(MODEL_VERSIONS, { description: ModelVersionSchema.description, default: 'V3.2' })),
    is_ondemand_resource: opt(bool('true: on-demand job; false: ordinary job.')),
    is_flexus: opt(bool('Basic-edition (Flexus) training.')),
    is_fast_flexus: opt(bool('Fast Flexus edition.')),
    is_live_copy: opt(bool('Live-room replica job.')),
    is_only_human_model: opt(
      Type.Boolean({ description: 'Train only the appearance model, no voice; Flexus only. Default false.', default: false }),
    ),
    audio_source_type: opt(AudioSourceTypeSchema),
    voice_properties: opt(VoiceProperties),
    supported_service: opt(
      reqSupportedService('Business types the model should support (multi-select; Flexus: VIDEO_2D only).'),
    ),
  },
  { description: 'Body of Create.' },
);
export type Create2dModelTrainingJobReq = Static<typeof Create2dModelTrainingJobReq>;

export const Update2dModelTrainingJobReq = Type.Object(
  {
    name: opt(reqName('Model name.')),
    contact: opt(reqContact()),
    command_message: opt(commandMessage()),
    video_multipart_count: opt(multipartCount('Training-video part count, 1-1000.', false)),
    action_video_multipart_count: opt(multipartCount('Action-video part count, 1-1000.', false)),
    is_background_replacement: opt(bool('Green-screen background replacement.')),
    batch_name: opt(reqBatchName()),
    tags: opt(reqTags()),
    is_fast_flexus: opt(bool('Fast Flexus edition.')),
    samples_basic_info: opt(
      Type.Array(ActionBasicSampleInfo, {
        description: 'Editable action-sample information (e.g. which actions are selected).',
        maxItems: 200,
      }),
    ), // our limit; spec silent
    voice_properties: opt(VoiceProperties),
    supported_service: opt(reqSupportedService('Business types.')),
    audio_source_type: opt(AudioSourceTypeSchema),
  },
  {
    description:
      'Body of Update. All fields optional. model_version, is_ondemand_resource, is_flexus, is_live_copy and ' +
      'is_only_human_model cannot be changed.',
  },
);
export type Update2dModelTrainingJobReq = Static<typeof Update2dModelTrainingJobReq>;

export const Execute2dModelTrainingCommandByUserReq = Type.Object(
  {
    command: CommandSchema,
    command_message: opt(CommandMessageSchema),
    comment_data: opt(CommentData),
    operation_reason: opt(Type.String({ description: 'Reason for the operation.', maxLength: 1024 })), // our limit; spec silent
  },
  { description: 'Body of the command call.' },
);
export type Execute2dModelTrainingCommandByUserReq = Static<typeof Execute2dModelTrainingCommandByUserReq>;

export const Execute2dModelTrainingCommandByUserResponse = Type.Object(
  {
    commond_result: opt(CommandResultSchema), // sic: wire name
    attachment_upload_url: opt(strArray('Upload URLs for the attachments named in comment_data.attachment_name.')),
    multipart_data: opt(
      Type.Array(MultipartUploadInfo, { description: 'Training-video parts already uploaded (GET_MULTIPART_UPLOADED).' }),
    ),
    excute_failed_msg: opt(str('Why the command failed (wire spelling).')), // sic: wire name
    error_info: opt(ErrorResponse),
  },
  {
    description: 'Result of a command. A failed command can still come back as HTTP 200 with commond_result EXCUTE_FAILED.',
  },
);
export type Execute2dModelTrainingCommandByUserResponse = Static<typeof Execute2dModelTrainingCommandByUserResponse>;

// ---------------------------------------------------------------------------
// List query string
// ---------------------------------------------------------------------------

export const List2dModelTrainingJobQuery = Type.Object(
  {
    offset: opt(Type.Integer({ description: 'Start offset.', minimum: 0, maximum: INT32_MAX, default: 0 })),
    limit: opt(Type.Integer({ description: 'Page size.', minimum: 1, maximum: 100, default: 10 })),
    state: opt(
      // No example values on optional filters: /docs' "Try it out" would send them and filter the list.
      Type.String({ description: 'One or more JobState values separated by commas (e.g. JOB_SUCCESS,TRAINING); all states when absent.' }),
    ),
    sort_key: opt(enumOf(LIST_SORT_KEYS, { description: 'Sort field: creation time, update time, or asset order.' })),
    sort_dir: opt(enumOf(SORT_DIRECTIONS, { description: 'Sort direction.', default: 'asc' })),
    create_until: opt(str('Keep jobs created at or before this time (RFC 3339 assumed).')),
    create_since: opt(str('Keep jobs created at or after this time.')),
    query_project_id: opt(str('Tenant (project) to query.')),
    update_since: opt(str('Keep jobs updated at or after this time.')),
    update_until: opt(str('Keep jobs updated at or before this time.')),
    batch_name: opt(str('Batch name.')),
    tag: opt(str('A job tag.')),
    job_id: opt(str('Job ID.')),
    name: opt(str('Model name.')),
    model_resolution: opt(Type.String({ description: 'Model resolution (1080P or 4K).' })),
    is_flexus: opt(bool('Flexus jobs.')),
    is_live_copy: opt(bool('Live-room replica jobs.')),
    train_location: opt(str('Training region.')),
    is_ondemand_resource: opt(bool('On-demand ("trial edition" in the List docs) jobs.')),
  },
  { description: 'Query parameters of List2dModelTrainingJob (all optional).' },
);
export type List2dModelTrainingJobQuery = Static<typeof List2dModelTrainingJobQuery>;

// ---------------------------------------------------------------------------
// Registry: OpenAPI component name -> schema (for the OpenAPI document and the drift test)
// ---------------------------------------------------------------------------

export const WIRE_SCHEMAS = {
  ErrorResponse,
  VoiceProperties,
  ActionBasicSampleInfo,
  ActionSampleInfo,
  TrainingVideoMarkInfo,
  InferenceVideoMarkInfo,
  ActionMarkItem,
  InferenceActionMarkInfo,
  InferenceEyeCorrectionMarkInfo,
  VerifyVideoMattingInfo,
  OperationLogInfo,
  CommentLogInfo,
  CommentData,
  MultipartUploadInfo,
  TrainingAllocatedResource,
  SubTrainingJobInfoDto,
  TrainingJobBasicInfo,
  Show2dModelTrainingJobResponse,
  List2dModelTrainingJobResponse,
  Create2dModelTrainingJobResponse,
  Update2dModelTrainingJobResponse,
  Create2dModelTrainingJobReq,
  Update2dModelTrainingJobReq,
  Execute2dModelTrainingCommandByUserReq,
  Execute2dModelTrainingCommandByUserResponse,
} as const;
export type WireSchemaName = keyof typeof WIRE_SCHEMAS;
