/**
 * Enumerations of the MetaStudio 2D model training-job wire contract.
 *
 * Every list is copied verbatim, in order, from `spec/training-jobs.openapi.yaml`
 * (components.schemas / components.parameters), misspellings included: they are
 * wire values that clients depend on. `test/domain/wireSchemas.test.ts` checks
 * that these lists never drift from the spec.
 *
 * Pure domain module: no imports.
 */

/** `state` of a training job. 61 values, SDK order. Note the wire spellings `BEAUTYFACE_ROCESSING` and `MANUL_STOP_ACTION_MARK`. */
export const JOB_STATES = [
  'WAIT_FILE_UPLOAD',
  'AUTO_VERIFYING',
  'AUTO_VERIFY_FAILED',
  'MANUAL_VERIFYING',
  'WAIT_TRAINING_DATA_PREPROCESS',
  'MANUAL_VERIFY_FAILED',
  'MANUAL_VERIFY_SUCCESS',
  'TRAINING_DATA_PREPROCESSING',
  'TRAINING_DATA_PREPROCESS_FAILED',
  'TRAINING_DATA_PREPROCESS_SUCCESS',
  'TRAINING',
  'TRAIN_FAILED',
  'TRAIN_SUCCESS',
  'INFERENCE_DATA_PREPROCESSING',
  'INFERENCE_DATA_PREPROCESS_FAILED',
  'WAIT_MASK_UPLOAD',
  'WAIT_MAIN_FILE_UPLOAD',
  'JOB_SUCCESS',
  'MANUAL_STOP_INFERENCE_DATA_PREPROCESS',
  'MANUAL_STOP_TRAIN',
  'MANUAL_STOP_TRAINING_DATA_PREPROCESS',
  'MANUAL_STOP_BEAUTY_PREPROCESS',
  'WAIT_USER_CONFIRM',
  'JOB_REJECT',
  'JOB_PENDING',
  'WAIT_ASSET_SYNC',
  'WAIT_ADMIN_CONFIRM',
  'JOB_FINISH',
  'COMPILING',
  'WAIT_COMPILE',
  'COMPILE_FAILED',
  'WAIT_BEAUTY',
  'WAIT_GENERATE_ACTION',
  'WAIT_ARRANGE',
  'ACTION_GENERATE_DATA_PROCESSING',
  'MANUAL_STOP_ACTION_GENERATE_DATA_PROCESSING',
  'MANUAL_STOP_ACTION_GENERATE_ORI_PROCESSING',
  'ACTION_GENERATE_ORI_PROCESSING',
  'ACTION_GENERATE_DATA_FAILED',
  'ACTION_GENERATE_ORI_FAILED',
  'ACTION_GENERATE_ORI_SUCCESS',
  'GENERATE_ACTION_PREPROCESS_FAILED',
  'WAIT_ADMIN_CALIBRATION',
  'BEAUTY_VIDEO_FILE_UPLOADED',
  'BEAUTYFACE_SUCCESS',
  'BEAUTYFACE_FAILED',
  'WAIT_BEAUTY_VIDEO_FILE_UPLOAD',
  'BEAUTYFACE_ROCESSING',
  'WAIT_TEST_VIDEO_CHECK',
  'TEST_VIDEO_CHECK_PROCESSING',
  'TEST_VIDEO_CHECK_SUCCESS',
  'TEST_VIDEO_CHECK_FAILED',
  'VIDEO_ANALYZE_PROCESSING',
  'VIDEO_ANALYZE_SUCCESS',
  'VIDEO_ANALYZE_FAILED',
  'ACTION_MARKING',
  'ACTION_MARK_SUCCESS',
  'ACTION_MARK_FAILED',
  'ACTION_MARK_UPLOADED',
  'WAIT_GENERATE_ACTION_MARK',
  'MANUL_STOP_ACTION_MARK',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `operation_logs[].log_type`. 101 values, SDK order. Note the wire spellings `USER_CREATE_JOD` and `MANUL_STOP_ACTION_MARK`. */
export const LOG_TYPES = [
  'USER_CREATE_JOD',
  'USER_VERIFYING_SUBMITTED',
  'SYSTEM_VERIFY_FAILED',
  'ADMIN_UPDATE_BEAUTY_LEVEL',
  'ADMIN_UPDATE_TRAIN_LOCATION',
  'ADMIN_UPDATE_JOB_PRIORITY',
  'SYSTEM_VERIFY_SUCCESS',
  'ADMIN_VERIFY_SUCCESS',
  'ADMIN_VERIFY_FAILED',
  'SYSTEM_TRAIN_DATA_PREPROCESSING',
  'SYSTEM_TRAIN_DATA_PREPROCESS_FAILED',
  'SYSTEM_TRAIN_DATA_PREPROCESS_SUCCESS',
  'SYSTEM_ACTION_GENERATE_DATA_PREPROCESSING',
  'SYSTEM_ACTION_GENERATE_DATA_SUCCESS',
  'SYSTEM_ACTION_GENERATE_ORI_SUCCESS',
  'SYSTEM_ACTION_GENERATE_DATA_FAILED',
  'SYSTEM_ACTION_GENERATE_ORI_FAILED',
  'SYSTEM_ACTION_GENERATE_ORI_PREPROCESSING',
  'SYSTEM_TRAINING',
  'ADMIN_STOP_TRAINING_DATA_PREPROCESS',
  'ADMIN_STOP_BEAUTY_PREPROCESS',
  'ADMIN_STOP_INFERENCE_DATA_PREPROCESS',
  'ADMIN_STOP_TRAIN',
  'SYSTEM_TRAIN_FAILED',
  'SYSTEM_TRAIN_SUCCESS',
  'SYSTEM_INFERENCE_DATA_PREPROCESSING',
  'SYSTEM_INFERENCE_DATA_PREPROCESS_FAILED',
  'SYSTEM_WAIT_ASSET_SYNC',
  'SYSTEM_INFERENCE_DATA_PREPROCESS_SUCCESS',
  'SYSTEM_JOB_SUCCESS',
  'ADMIN_MASK_UPLOADED',
  'ADMIN_UPDATE_VIDEO',
  'ADMIN_UPDATE_ACTION_VIDEO',
  'ADMIN_RESET',
  'ADMIN_ACCEPT',
  'USER_REPAIR',
  'SYSTEM_UPDATE_COVER',
  'SYSTEM_ANALYSE_FILE_INFO',
  'ADMIN_SET_SILENCE_REPEAT_NUM',
  'SYSTEM_MARKABLE_VIDEO',
  'SYSTEM_MASK_VERIFY_VIDEO',
  'SYSTEM_MASK_VERIFY_VIDEO_SUCCESS',
  'SYSTEM_MASK_VERIFY_VIDEO_FAILED',
  'SYSTEM_MARKABLE_VIDEO_SUCCESS',
  'SYSTEM_BEAUTY_PREPROCESSING',
  'SYSTEM_BEAUTY_PREPROCESS_FAILED',
  'ADMIN_CONFIRM_ACTION',
  'ADMIN_STOP_ACTION_GENERATE_DATA_PREPROCESS',
  'ADMIN_STOP_ACTION_GENERATE_ORI_PREPROCESS',
  'SYSTEM_BEAUTY_PREPROCESS_SUCCESS',
  'SYSTEM_COMPILE_FAILED',
  'SYSTEM_COMPILE_SUCCESS',
  'SYSTEM_MARKABLE_VIDEO_FAILED',
  'ADMIN_UPDATE_COMPILE',
  'ADMIN_UPDATE_INFERENCE_DATA_PROCESS_VIDEO',
  'ADMIN_UPDATE_INFERENCE_DATA_CHAT_PROCESS_VIDEO',
  'SYSTEM_EXECUTE_COMPILE',
  'SYSTEM_EXECUTE_BEAUTY',
  'SYSTEM_MASK_VIDEO_AND_ACTION_TIME_SUCCESS',
  'SYSTEM_MASK_VIDEO_AND_ACTION_TIME_FAILED',
  'USER_UPDATE_VIDEO',
  'ADMIN_UPLOAD_JSON_DATA',
  'ADMIN_DELETE_JSON_DATA',
  'ADMIN_UPDATE_GENERAL_CONFIG',
  'ADMIN_MASK_ACTION_TIME',
  'ADMIN_UPDATE_TRAIN_TIME',
  'STOP_COMPILE',
  'MAKE_TEST_VIDEO',
  'ADMIN_SET_FLEXUS_RETRY_COUNT',
  'USER_DELETE_JOB_VIDEO',
  'ADMIN_SET_VIDEO_ROTATION_ANGLE',
  'ADMIN_RE_SET_VIDEO_ROTATION_ANGLE',
  'SYSTEM_SET_VIDEO_ROTATION_ANGLE_SUCCESS',
  'SYSTEM_SET_VIDEO_ROTATION_ANGLE_FAILED',
  'COMPILE_JOB_IS_CONSUME',
  'RESTART_TEST_VIDEO_CHECK',
  'SKIP_TEST_VIDEO_CHECK',
  'WAIT_TEST_VIDEO_CHECK',
  'TEST_VIDEO_CHECK_PROCESSING',
  'TEST_VIDEO_CHECK_SUCCESS',
  'TEST_VIDEO_CHECK_FAILED',
  'REDO_INFERENCE_PREPROCESSING',
  'REDO_TRAINING_PREPROCESSING',
  'REDO_TRAINING',
  'REDO_ACTION_DATA_GENERATE',
  'REDO_ACTION_ORI_GENERATE',
  'VIDEO_ANALYZE_PROCESSING',
  'VIDEO_ANALYZE_SUCCESS',
  'VIDEO_ANALYZE_FAILED',
  'ADMIN_RESOLUTION_NORMALIZE',
  'SYSTEM_SET_RESOLUTION_NORMALIZE_SUCCESS',
  'SYSTEM_SET_RESOLUTION_NORMALIZE_FAILED',
  'SYSTEM_ACTION_MARK_PREPROCESS_FAILED',
  'SYSTEM_ACTION_MARK_PREPROCESSING',
  'SYSTEM_ACTION_MARK_PREPROCESS_SUCCESS',
  'REDO_ACTION_MARK',
  'CONFIRM_ACTION_MARK',
  'MANUL_STOP_ACTION_MARK',
  'SYSTEM_INFERENCE_DATA_REASSEMBLE_WAITING',
  'SYSTEM_INFERENCE_DATA_REASSEMBLE_PROCESSING',
  'TIME_OUT_RETRY',
] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** `operation_logs[].operate_user`: who performed the logged operation. */
export const OPERATE_USERS = [
  'USER',
  'ADMIN',
  'SYSTEM',
] as const;
export type OperateUser = (typeof OPERATE_USERS)[number];

/** `comment_logs[].comment_type`. */
export const COMMENT_TYPES = [
  'USER_REJECT',
  'USER_COMMENT',
  'ADMIN_COMMENT',
] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];

/** `verify_video_matting_info[].method`: keying rule of a rectangle. */
export const MATTING_METHODS = [
  'RESERVED',
  'DELETE',
  'NO_DEGREEN',
] as const;
export type MattingMethod = (typeof MATTING_METHODS)[number];

/** `ActionMarkItem.action_type`: idle segment or gesture segment. */
export const ACTION_TYPES = [
  'SILENCE',
  'ACTION',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** `allocated_resource.charge_mode`. */
export const CHARGE_MODES = [
  'PERIODIC',
  'ONE_TIME',
  'ON_DEMAND',
] as const;
export type ChargeMode = (typeof CHARGE_MODES)[number];

/** `audio_source_type`: where voice-training audio comes from. */
export const AUDIO_SOURCE_TYPES = [
  'VIDEO',
  'AUDIO',
] as const;
export type AudioSourceType = (typeof AUDIO_SOURCE_TYPES)[number];

/** `model_version`. Default `V3.2`; `V2`/`V3` deprecated; `V3.3` is fast Flexus. */
export const MODEL_VERSIONS = [
  'V2',
  'V3',
  'V3.2',
  'V3.3',
] as const;
export type ModelVersion = (typeof MODEL_VERSIONS)[number];

/** `matting_type`. Default `AI`. */
export const MATTING_TYPES = [
  'AI',
  'MANUAL',
] as const;
export type MattingType = (typeof MATTING_TYPES)[number];

/** Documented values of `model_resolution`. The wire type is a free string (the spec lists these as `examples`, not an `enum`); default `1080P`. */
export const MODEL_RESOLUTIONS = [
  '1080P',
  '4K',
] as const;
export type ModelResolution = (typeof MODEL_RESOLUTIONS)[number];

/** `supported_service[]` items (SupportedServiceEnum). Flexus models allow only `VIDEO_2D`. */
export const SUPPORTED_SERVICES = [
  'VIDEO_2D',
  'LIVE_2D',
  'CHAT_2D',
] as const;
export type SupportedService = (typeof SUPPORTED_SERVICES)[number];

/** `train_video_rotation_state` / `action_video_rotation_state`. */
export const ROTATION_STATES = [
  'WAITING',
  'PROCESSING',
  'SUCCESS',
  'FAILED',
] as const;
export type RotationState = (typeof ROTATION_STATES)[number];

/** `command_message` on Create/Update/Command (length 0-64). Default on Create: `UPLOAD_VIDEO`. */
export const COMMAND_MESSAGES = [
  'UPDATE_VIDEO',
  'UPLOAD_VIDEO',
  'CONFIRM_ACTION_VIDEO',
  'GET_ACTION_VIDEO_MULTIPART',
] as const;
export type CommandMessage = (typeof COMMAND_MESSAGES)[number];

/** `command` of the Execute2dModelTrainingCommandByUser call. 13 values. */
export const COMMANDS = [
  'SUBMITVERIFYING',
  'CONFIRM_ACCEPT',
  'CONFIRM_REJECT',
  'CONFIRM_ANSWER',
  'CONFIRM_PENDING',
  'CONFIRM_ACTIVE',
  'GET_MULTIPART_UPLOADED',
  'CONFIRM_REPAIR',
  'CONFIRM_MULTIPART_UPLOADED',
  'GET_ACTION_VIDEO_MULTIPART_UPLOADED',
  'CONFIRM_ACTION_VIDEO_MULTIPART_UPLOADED',
  'CONFIRM_AUTHORIZATION_LETTER',
  'DELETE_JOB_VIDEO',
] as const;
export type Command = (typeof COMMANDS)[number];

/** `commond_result` (sic). Wire spellings `EXCUTE_SUCCESS` / `EXCUTE_FAILED`. */
export const COMMAND_RESULTS = [
  'EXCUTE_SUCCESS',
  'EXCUTE_FAILED',
] as const;
export type CommandResult = (typeof COMMAND_RESULTS)[number];

/** `voice_properties.job_tag`. */
export const VOICE_JOB_TAGS = [
  'ECOMMERCE',
  'NEWS',
  'MARKETING',
] as const;
export type VoiceJobTag = (typeof VOICE_JOB_TAGS)[number];

/** `voice_properties.sex`. */
export const VOICE_SEXES = [
  'FEMALE',
  'MALE',
] as const;
export type VoiceSex = (typeof VOICE_SEXES)[number];

/** `voice_properties.language`. */
export const VOICE_LANGUAGES = [
  'CN',
  'EN',
] as const;
export type VoiceLanguage = (typeof VOICE_LANGUAGES)[number];

/** List query `sort_key`. */
export const LIST_SORT_KEYS = [
  'create_time',
  'update_time',
  'asset_order',
] as const;
export type ListSortKey = (typeof LIST_SORT_KEYS)[number];

/** List query `sort_dir` (default `asc`). */
export const SORT_DIRECTIONS = [
  'asc',
  'desc',
] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/**
 * Console status groups (spec §3.1). Keys are ours; the documented groups are
 * 待提交, 系统审核中, 系统审核未通过, 算法训练中, 待用户审核, 用户驳回, 已完成, 挂起.
 */
export const CONSOLE_STATUS_GROUP_KEYS = [
  'PENDING_SUBMISSION',
  'UNDER_REVIEW',
  'REVIEW_FAILED',
  'TRAINING',
  'AWAITING_USER_ACCEPTANCE',
  'REJECTED_BY_USER',
  'COMPLETED',
  'SUSPENDED',
] as const;
export type ConsoleStatusGroup = (typeof CONSOLE_STATUS_GROUP_KEYS)[number];

/**
 * state -> console status group, for every JobState.
 *
 * Documented [D] mapping from spec §3.1 (x-console-groups in the OpenAPI file),
 * plus the spec's [I] suggestion for the states the docs list without a group:
 * VIDEO_ANALYZE_* -> UNDER_REVIEW (automatic media check); TEST_VIDEO_CHECK_*,
 * ACTION_MARK_*, MANUL_STOP_ACTION_MARK, the beauty states and WAIT_MASK_UPLOAD
 * -> TRAINING. ACTION_MARKING is listed twice in the docs; the grouped mention
 * (TRAINING) wins.
 */
export const CONSOLE_STATUS_GROUPS: Readonly<Record<JobState, ConsoleStatusGroup>> = {
  // [D] 待提交 / pending submission
  WAIT_FILE_UPLOAD: 'PENDING_SUBMISSION',
  // [D] 系统审核中 / under platform review
  AUTO_VERIFYING: 'UNDER_REVIEW',
  MANUAL_VERIFYING: 'UNDER_REVIEW',
  // [D] 系统审核未通过 / platform review not passed
  AUTO_VERIFY_FAILED: 'REVIEW_FAILED',
  MANUAL_VERIFY_FAILED: 'REVIEW_FAILED',
  // [D] 算法训练中 / algorithm training in progress
  MANUAL_VERIFY_SUCCESS: 'TRAINING',
  WAIT_TRAINING_DATA_PREPROCESS: 'TRAINING',
  TRAINING_DATA_PREPROCESSING: 'TRAINING',
  TRAINING_DATA_PREPROCESS_FAILED: 'TRAINING',
  TRAINING_DATA_PREPROCESS_SUCCESS: 'TRAINING',
  TRAINING: 'TRAINING',
  TRAIN_FAILED: 'TRAINING',
  TRAIN_SUCCESS: 'TRAINING',
  INFERENCE_DATA_PREPROCESSING: 'TRAINING',
  INFERENCE_DATA_PREPROCESS_FAILED: 'TRAINING',
  WAIT_MAIN_FILE_UPLOAD: 'TRAINING',
  MANUAL_STOP_INFERENCE_DATA_PREPROCESS: 'TRAINING',
  MANUAL_STOP_TRAIN: 'TRAINING',
  MANUAL_STOP_TRAINING_DATA_PREPROCESS: 'TRAINING',
  WAIT_ADMIN_CONFIRM: 'TRAINING',
  WAIT_COMPILE: 'TRAINING',
  COMPILING: 'TRAINING',
  COMPILE_FAILED: 'TRAINING',
  WAIT_GENERATE_ACTION: 'TRAINING',
  WAIT_ARRANGE: 'TRAINING',
  ACTION_GENERATE_DATA_PROCESSING: 'TRAINING',
  MANUAL_STOP_ACTION_GENERATE_DATA_PROCESSING: 'TRAINING',
  MANUAL_STOP_ACTION_GENERATE_ORI_PROCESSING: 'TRAINING',
  ACTION_GENERATE_ORI_PROCESSING: 'TRAINING',
  ACTION_GENERATE_DATA_FAILED: 'TRAINING',
  ACTION_GENERATE_ORI_FAILED: 'TRAINING',
  ACTION_GENERATE_ORI_SUCCESS: 'TRAINING',
  GENERATE_ACTION_PREPROCESS_FAILED: 'TRAINING',
  WAIT_ADMIN_CALIBRATION: 'TRAINING',
  WAIT_ASSET_SYNC: 'TRAINING',
  WAIT_GENERATE_ACTION_MARK: 'TRAINING',
  ACTION_MARKING: 'TRAINING',
  // [D] 待用户审核 / awaiting user acceptance (NA whitelist only)
  WAIT_USER_CONFIRM: 'AWAITING_USER_ACCEPTANCE',
  // [D] 用户驳回 / rejected by user (NA whitelist only)
  JOB_REJECT: 'REJECTED_BY_USER',
  // [D] 已完成 / completed
  JOB_SUCCESS: 'COMPLETED',
  JOB_FINISH: 'COMPLETED',
  // [D] 挂起 / suspended (NA whitelist only)
  JOB_PENDING: 'SUSPENDED',
  // [I] listed without a group: video check reads as part of platform review
  VIDEO_ANALYZE_PROCESSING: 'UNDER_REVIEW',
  VIDEO_ANALYZE_SUCCESS: 'UNDER_REVIEW',
  VIDEO_ANALYZE_FAILED: 'UNDER_REVIEW',
  // [I] listed without a group: test-video check and action marking are training steps
  WAIT_TEST_VIDEO_CHECK: 'TRAINING',
  TEST_VIDEO_CHECK_PROCESSING: 'TRAINING',
  TEST_VIDEO_CHECK_SUCCESS: 'TRAINING',
  TEST_VIDEO_CHECK_FAILED: 'TRAINING',
  ACTION_MARK_SUCCESS: 'TRAINING',
  ACTION_MARK_FAILED: 'TRAINING',
  ACTION_MARK_UPLOADED: 'TRAINING',
  MANUL_STOP_ACTION_MARK: 'TRAINING',
  // [I] SDK-only, never described: beauty (whitening) steps and the old mask upload
  WAIT_MASK_UPLOAD: 'TRAINING',
  MANUAL_STOP_BEAUTY_PREPROCESS: 'TRAINING',
  WAIT_BEAUTY: 'TRAINING',
  BEAUTY_VIDEO_FILE_UPLOADED: 'TRAINING',
  BEAUTYFACE_SUCCESS: 'TRAINING',
  BEAUTYFACE_FAILED: 'TRAINING',
  WAIT_BEAUTY_VIDEO_FILE_UPLOAD: 'TRAINING',
  BEAUTYFACE_ROCESSING: 'TRAINING',
};
