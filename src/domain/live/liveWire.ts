/**
 * Wire schemas of MetaStudio's intelligent interaction (智能交互) family: rooms, jobs, dialog URLs and
 * one-time codes, as the official SDKs' model classes name them (`spec/intelligent-interaction.md`
 * §4, §5, §9; section numbers below are that file's).
 *
 * The conventions of `wireSchemas.ts`: no `additionalProperties: false` (newer SDKs may send fields
 * we do not know), no `default` in responses (absent fields stay absent). Request limits are those of
 * the PHP SDK's validation where the spec gives them; 0 in a number the Go SDK always sends
 * (`bitrate`, `width`, `height`, `dx`, ...) stands for "not set".
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { enumOf, ErrorResponse, INT32_MAX } from '../wireSchemas.js';

export const BILLING_MODES = ['CONCURRENCY', 'CLIENT', 'CLIENT_TOKENS'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
/** Room languages (§9); job answers add `fr`. */
export const ROOM_LANGUAGES = ['CN', 'EN', 'ESP', 'por', 'Arabic', 'Thai'] as const;
export type RoomLanguage = (typeof ROOM_LANGUAGES)[number];
export const JOB_LANGUAGES = [...ROOM_LANGUAGES, 'fr'] as const;
export const LANGUAGE_ENUM = ['zh_CN', 'en_US', 'CN', 'EN', 'ESP', 'por', 'Arabic', 'Thai', 'fr'] as const;
export const CHAT_VIDEO_TYPES = ['COMPUTER', 'MOBILE', 'HUB'] as const;
/** Job states in the Go SDK's order (§3.2). */
export const SMART_CHAT_JOB_STATES = ['WAITING', 'PROCESSING', 'SUCCEED', 'FAILED', 'CANCELED', 'HEARTBEAT', 'IDLE', 'DELETING'] as const;
export type SmartChatJobState = (typeof SMART_CHAT_JOB_STATES)[number];
export const JOB_FINISH_REASONS = ['NORMAL', 'MUTE_TIMEOUT'] as const;
export type JobFinishReason = (typeof JOB_FINISH_REASONS)[number];
export const RTC_USER_TYPES = ['CAPTURE', 'ANIMATION', 'RENDER', 'PLAYER', 'INFERENCE_USER', 'END_USER'] as const;
export const RESOURCE_SOURCES = ['PURCHASED', 'SP_ALLOCATED', 'ADMIN_ALLOCATED'] as const;
export const CHARGE_MODES = ['PERIODIC', 'ONE_TIME', 'ON_DEMAND'] as const;
export const RESOURCE_STATUSES = ['ACTIVE', 'FREEZE', 'DELETED'] as const;
export const CLIP_MODES = ['RESIZE', 'CROP'] as const;
export const CODECS = ['H264', 'VP8', 'VP9', 'QTRLE'] as const;
export const FRAME_RATES = ['24', '25', '30'] as const;
export const BACKGROUND_TYPES = ['IMAGE', 'COLOR', 'IMAGE_2D', 'VIDEO', 'AUDIO'] as const;
export const LAYER_TYPES = ['HUMAN', 'IMAGE', 'VIDEO', 'TEXT'] as const;

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string, range: { minLength?: number; maxLength?: number } = {}) => Type.String({ description, ...range });
const int = (description: string, minimum: number, maximum: number) => Type.Integer({ description, minimum, maximum });
const rfc3339 = (description: string) => Type.String({ description: `${description}, RFC 3339 UTC (YYYY-MM-DDThh:mm:ssZ).` });
/** Parts avatarforge stores and answers but does not interpret yet: any JSON object. */
const anyObject = (description: string) => Type.Object({}, { description });

// ---------------------------------------------------------------------------------------------------------
// Shared objects (§5)
// ---------------------------------------------------------------------------------------------------------

/** §5.8: a single voice. `voice_asset_id` is always sent by the Go SDK, possibly "". */
export const VoiceConfig = Type.Object({
  // Always sent by the Go SDK (possibly ""); other SDKs may leave it out, which means the same.
  voice_asset_id: opt(Type.String({ description: 'A voice of GET /v1/{project_id}/voices; "" takes the default voice of the room\'s language.', maxLength: 256 })),
  speed: opt(int('Speaking rate, 50 to 200 (100: normal; 0: not set).', 0, 200)),
  pitch: opt(int('Pitch, 50 to 200 (100: normal; 0: not set).', 0, 200)),
  volume: opt(int('Volume, 90 to 240 (140: normal; 0: not set).', 0, 240)),
});
export type VoiceConfig = Static<typeof VoiceConfig>;

/** §5.2: a voice per language (room request and Show). */
export const ChatVoiceConfig = Type.Object({
  voice_asset_id: opt(str('A voice of GET /v1/{project_id}/voices; "" takes the default voice of its language.', { maxLength: 64 })),
  speed: opt(int('Speaking rate, 50 to 200 (100: normal; 0: not set).', 0, 200)),
  pitch: opt(int('Pitch, 50 to 200 (100: normal; 0: not set).', 0, 200)),
  volume: opt(int('Volume, 90 to 240 (140: normal; 0: not set).', 0, 240)),
  provider: opt(str('Third-party TTS vendor (XIMALAYA, HUAWEI_EI, MOBVOI): stored; avatarforge speaks with its own voices.', { maxLength: 32 })),
  language: opt(enumOf(ROOM_LANGUAGES, { description: 'The language this voice speaks (default CN). avatarforge speaks CN and EN.' })),
});
export type ChatVoiceConfig = Static<typeof ChatVoiceConfig>;

/** §5.7b and §5.23: a voice in List rooms and job answers, with the language's description. */
export const VoiceConfigRsp = Type.Object({
  ...ChatVoiceConfig.properties,
  language: opt(enumOf(JOB_LANGUAGES, { description: 'The language this voice speaks.' })),
  language_desc: opt(str('The language, in words.')),
});

/** §5.3 / §5.21: the subtitle box the client draws in, relative to the 1920x1080 or 1080x1920 canvas. */
export const ChatSubtitleConfig = Type.Object({
  dx: opt(int('Top-left x of the box.', 0, 1920)),
  dy: opt(int('Top-left y of the box.', 0, 1920)),
  width: opt(int('Box width.', 1, 7680)),
  height: opt(int('Box height.', 1, 7680)),
});

/** §5.9, with the chat rules: 1920x1080 or 1080x1920 only. */
export const VideoConfig = Type.Object({
  clip_mode: opt(enumOf(CLIP_MODES, { description: 'RESIZE or CROP.' })),
  codec: opt(enumOf(CODECS, { description: 'H264 (default) or VP9; VP8 and QTRLE are for video production only.' })),
  // Always sent by the Go SDK (0 when its caller left them out); other SDKs may leave them out.
  bitrate: opt(Type.Integer({ description: 'Bit rate in kbit/s, 1000 to 8000 (0: not set, 4000).', minimum: 0, maximum: INT32_MAX })),
  width: opt(Type.Integer({ description: 'Width: 1920 or 1080 (0: not set; with height 0, 1080 for MOBILE rooms, else 1920).', minimum: 0, maximum: INT32_MAX })),
  height: opt(Type.Integer({ description: 'Height: 1080 or 1920 (0: not set).', minimum: 0, maximum: INT32_MAX })),
  frame_rate: opt(enumOf(FRAME_RATES, { description: 'Frames per second, "24", "25" or "30".' })),
  is_subtitle_enable: opt(Type.Boolean({ description: 'Burn in subtitles (not supported: chat subtitles are drawn by the client in chat_subtitle_config).' })),
  subtitle_config: opt(anyObject('Subtitle settings (video production only).')),
  dx: opt(Type.Integer({ description: 'Crop origin x.' })),
  dy: opt(Type.Integer({ description: 'Crop origin y.' })),
  is_enable_super_resolution: opt(Type.Boolean({ description: 'Video production only.' })),
  is_end_at_first_frame: opt(Type.Boolean({ description: 'Video production only.' })),
  output_external_url: opt(str('Video production only.', { maxLength: 2048 })),
  is_vocabulary_config_enable: opt(Type.Boolean({ description: 'Video production only.' })),
});
export type VideoConfig = Static<typeof VideoConfig>;

/** §5.11 and §5.12. */
export const BackgroundConfigInfo = Type.Object({
  background_type: enumOf(BACKGROUND_TYPES, { description: 'IMAGE or COLOR (the others are stored, not drawn yet).' }),
  background_config: opt(str('Background file URL.', { minLength: 1, maxLength: 2048 })),
  background_color_config: opt(str('RGB colour, e.g. #FFFFFF.', { maxLength: 16 })),
  background_asset_id: opt(str('Image asset ID.', { maxLength: 64 })),
  background_image_config: opt(
    Type.Object({
      dx: Type.Integer({ description: 'Top-left x (<= 0).' }),
      dy: Type.Integer({ description: 'Top-left y (<= 0).' }),
      width: Type.Integer({ description: 'Width.' }),
      height: Type.Integer({ description: 'Height.' }),
    }),
  ),
});

/** §5.13 to §5.18: stored and answered; drawn by the media slice. */
export const LayerConfig = Type.Object({
  layer_type: enumOf(LAYER_TYPES, { description: 'HUMAN, IMAGE, VIDEO or TEXT.' }),
  asset_id: opt(str('Asset ID.', { maxLength: 64 })),
  group_id: opt(str('Group sharing one position.', { maxLength: 64 })),
  sequence_no: opt(Type.Integer({ description: 'Paragraph index (live only).' })),
  position: opt(
    Type.Object({
      dx: Type.Integer({ description: 'Top-left x.' }),
      dy: Type.Integer({ description: 'Top-left y.' }),
      layer_index: Type.Integer({ description: 'Stacking order from 1 (bottom).' }),
    }),
  ),
  size: opt(Type.Object({ width: opt(Type.Integer()), height: opt(Type.Integer()) })),
  rotation: opt(Type.Object({ angle: opt(int('Degrees.', 0, 360)) })),
  image_config: opt(anyObject('Image layer.')),
  video_config: opt(anyObject('Video layer.')),
  text_config: opt(anyObject('Text layer.')),
});

export const ReviewConfig = Type.Object({ no_need_review: opt(Type.Boolean({ description: 'Skip content review (no effect: avatarforge reviews nothing).' })) });

/** §5.4. */
export const ChatResourceConfig = Type.Object({
  resource_id: str('Resource ID.', { minLength: 1, maxLength: 64 }),
  count_resource: opt(int('Amount of the resource assigned to this room.', 0, 10000)),
});

/** §5.5. */
export const ChatResourceConfigInfo = Type.Object({
  resource_id: opt(str('Resource ID.')),
  count_resource: opt(Type.Integer({ description: 'Amount assigned to this room.' })),
  resource_source: opt(enumOf(RESOURCE_SOURCES, { description: 'Where the resource came from.' })),
  charge_mode: opt(enumOf(CHARGE_MODES, { description: 'How it is charged.' })),
  resource_nums: opt(Type.Integer({ description: 'Concurrency of the resource.' })),
  resource_available_nums: opt(Type.Integer({ description: 'Available concurrency.' })),
  status: opt(enumOf(RESOURCE_STATUSES, { description: 'ACTIVE, FREEZE or DELETED.' })),
  expire_time: opt(rfc3339('Expiry')),
});

// ---------------------------------------------------------------------------------------------------------
// Rooms (§4.1 to §4.5, §5.1, §5.6)
// ---------------------------------------------------------------------------------------------------------

const roomSettings = {
  room_description: opt(str('Room description.', { maxLength: 1024 })),
  video_config: opt(VideoConfig),
  model_asset_id: opt(str('A finished 2D model of the project: a HUMAN_MODEL_2D asset whose supported_service includes CHAT_2D or LIVE_2D.', { maxLength: 64 })),
  voice_config: opt(VoiceConfig),
  voice_config_list: opt(Type.Array(ChatVoiceConfig, { description: 'A voice per language.', maxItems: 16 })),
  robot_id: opt(str('Application (robot) bound to the room: stored and answered.', { minLength: 1, maxLength: 64 })),
  billing_mode: opt(enumOf(BILLING_MODES, { description: 'CONCURRENCY (default), CLIENT or CLIENT_TOKENS: stored; avatarforge caps running jobs by concurrency in every mode.' })),
  reuse_resource: opt(Type.Boolean({ description: 'Use unallocated concurrency (default false): stored, no effect.' })),
  concurrency: opt(int('Jobs of the room that may run at once, 0 to 1024. 0 (the default): no job can start.', 0, 1024)),
  client_nums: opt(int('Access terminals (CLIENT modes), 0 to 1024: stored.', 0, 1024)),
  default_language: opt(enumOf(ROOM_LANGUAGES, { description: 'CN (default) or EN; the overseas languages are refused (avatarforge\'s voices speak Mandarin and English).' })),
  background_config: opt(BackgroundConfigInfo),
  layer_config: opt(Type.Array(LayerConfig, { maxItems: 100 })),
  review_config: opt(ReviewConfig),
  chat_subtitle_config: opt(ChatSubtitleConfig),
  chat_video_type: opt(enumOf(CHAT_VIDEO_TYPES, { description: 'COMPUTER, MOBILE or HUB.' })),
  exit_mute_threshold: opt(int('Silence before a job ends by itself, 0 to 1440 (stored; enforced by the media slice).', 0, 1440)),
  enable_semantic_action: opt(Type.Boolean({ description: 'Stored, no effect.' })),
};

export const CreateSmartChatRoomReq = Type.Object({
  room_name: str('Room name.', { minLength: 1, maxLength: 256 }),
  ...roomSettings,
  chat_resource_config: opt(Type.Array(ChatResourceConfig, { maxItems: 100 })),
});
export type CreateSmartChatRoomReq = Static<typeof CreateSmartChatRoomReq>;

export const CreateSmartChatRoomResponse = Type.Object({ room_id: str('The new room\'s ID.') });

/** ShowSmartChatRoom and UpdateSmartChatRoom (§4.2). */
export const SmartChatRoomDetail = Type.Object({
  room_name: str('Room name.'),
  ...roomSettings,
  voice_config_list: opt(Type.Array(ChatVoiceConfig)),
  room_id: str('Room ID.'),
  create_time: rfc3339('Created'),
  update_time: rfc3339('Last updated'),
  cover_url: opt(str('Cover image URL (not set by avatarforge yet).')),
  is_pool_mode: Type.Boolean({ description: 'Resource-pool mode: always false.' }),
  chat_resource_config: opt(Type.Array(ChatResourceConfigInfo)),
});
export type SmartChatRoomDetail = Static<typeof SmartChatRoomDetail>;

export const ModelInfo = Type.Object({
  model_asset_id: opt(str('Model asset ID.')),
  asset_name: opt(str('The model asset\'s name.')),
  backup_model_asset_ids: opt(Type.Array(Type.String())),
});

/** §5.6: a List element. */
export const SmartChatRoomBaseInfo = Type.Object({
  room_id: str('Room ID.'),
  room_name: str('Room name.'),
  room_description: opt(str('Room description.')),
  robot_id: opt(str('Bound application.')),
  cover_url: opt(str('Cover image URL.')),
  model_infos: opt(ModelInfo),
  voice_config: opt(VoiceConfig),
  billing_mode: opt(enumOf(BILLING_MODES)),
  reuse_resource: opt(Type.Boolean()),
  concurrency: opt(Type.Integer({ description: 'Jobs that may run at once.' })),
  client_nums: opt(Type.Integer()),
  voice_config_list: opt(Type.Array(VoiceConfigRsp)),
  default_language: opt(enumOf(ROOM_LANGUAGES)),
  create_time: rfc3339('Created'),
  update_time: rfc3339('Last updated'),
  exit_mute_threshold: opt(Type.Integer()),
});

export const ListSmartChatRoomsQuery = Type.Object({
  offset: opt(Type.Integer({ description: 'Offset of the first room (default 0).', minimum: 0, maximum: INT32_MAX })),
  limit: opt(Type.Integer({ description: 'Rooms per page, 1 to 100 (default 10).', minimum: 1, maximum: 100 })),
  room_name: opt(str('Rooms whose name contains this text.', { maxLength: 256 })),
  model_name: opt(str('Rooms whose model asset\'s name contains this text.', { maxLength: 256 })),
  start_time: opt(str('Rooms whose latest job started at or after this time (RFC 3339).', { maxLength: 64 })),
  end_time: opt(str('Rooms whose latest job started at or before this time (RFC 3339).', { maxLength: 64 })),
});
export type ListSmartChatRoomsQuery = Static<typeof ListSmartChatRoomsQuery>;

export const ListSmartChatRoomsResponse = Type.Object({
  count: Type.Integer({ description: 'Rooms that match the filters (all pages).' }),
  count_concurrency: Type.Integer({ description: 'Sum of concurrency over the matching rooms.' }),
  count_client_nums: Type.Integer({ description: 'Sum of client_nums over the matching CLIENT rooms.' }),
  count_client_nums_token: Type.Integer({ description: 'Sum of client_nums over the matching CLIENT_TOKENS rooms.' }),
  smart_chat_rooms: Type.Array(SmartChatRoomBaseInfo),
});

// ---------------------------------------------------------------------------------------------------------
// Jobs (§4.6 to §4.9, §5.20 to §5.25)
// ---------------------------------------------------------------------------------------------------------

export const StartSmartChatJobQuery = Type.Object({
  robot_id: str('Application (robot) ID: required; stored on the job (avatarforge has no application API yet).', { minLength: 1, maxLength: 64 }),
});

export const SmartChatJobsReq = Type.Object({
  extend_param: opt(str('Extension parameters as JSON text: city, client_id (answered as client_id), extra_json_param.', { maxLength: 1024 })),
});
export type SmartChatJobsReq = Static<typeof SmartChatJobsReq>;

export const SmartChatVideoConfig = Type.Object({ width: opt(Type.Integer({ description: 'Width in pixels.' })), height: opt(Type.Integer({ description: 'Height in pixels.' })) });

export const RTCRoomInfoList = Type.Object({
  app_id: opt(str('RTC application ID.')),
  room_id: opt(str('RTC room ID.')),
  users: opt(
    Type.Array(
      Type.Object({
        user_type: opt(enumOf(RTC_USER_TYPES)),
        user_id: opt(str('RTC user ID.')),
        signature: opt(str('RTC join token.')),
        ctime: opt(Type.Integer({ description: 'Token expiry, Unix seconds.' })),
      }),
    ),
  ),
});

const jobCommon = {
  chat_subtitle_config: opt(ChatSubtitleConfig),
  video_config: opt(SmartChatVideoConfig),
  voice_config_list: opt(Type.Array(VoiceConfigRsp)),
  chat_video_type: opt(enumOf(CHAT_VIDEO_TYPES)),
  is_transparent: opt(Type.Boolean({ description: 'Transparent background: always false.' })),
  default_language: opt(enumOf(JOB_LANGUAGES)),
};

export const StartSmartChatJobResponse = Type.Object({
  job_id: str('Job ID.'),
  language: opt(enumOf(LANGUAGE_ENUM, { description: 'zh_CN or en_US, from the room\'s default_language.' })),
  rtc_room_info: opt(RTCRoomInfoList),
  ...jobCommon,
  region: opt(str('Region of the compute (not answered by avatarforge).')),
  chat_access_address: opt(str('Command channel host (not answered until the media slice).')),
  chat_access_rest_address: opt(str('REST drive address (not answered).')),
});

const jobBaseProperties = {
  job_id: str('Job ID.'),
  state: enumOf(SMART_CHAT_JOB_STATES, { description: 'WAITING (prepared, no media yet), PROCESSING, SUCCEED (ended), FAILED.' }),
  duration: opt(Type.Number({ description: 'Seconds since start_time (until end_time once ended).' })),
  start_time: opt(rfc3339('Started')),
  end_time: opt(rfc3339('Ended')),
  error_info: opt(ErrorResponse),
  create_time: opt(rfc3339('Created')),
  lastupdate_time: opt(rfc3339('Last change')),
  ...jobCommon,
  client_id: opt(str('client_id of the Start\'s extend_param.')),
  is_pool_mode: opt(Type.Boolean({ description: 'Always false.' })),
  job_finish_reason: opt(enumOf(JOB_FINISH_REASONS, { description: 'Why the job ended (NORMAL: stopped; MUTE_TIMEOUT: not stopped before the session length cap ran out).' })),
};

export const SmartChatJobBaseInfo = Type.Object(jobBaseProperties);

export const ShowSmartChatJobResponse = Type.Object({
  ...jobBaseProperties,
  rtc_room_info: opt(RTCRoomInfoList),
  chat_state: opt(Type.Integer({ description: 'Connection state: 0 waiting for link setup (while the job has not ended).' })),
  language: opt(enumOf(LANGUAGE_ENUM)),
  chat_access_address: opt(str('Command channel host (not answered until the media slice).')),
  chat_access_rest_address: opt(str('REST drive address (not answered).')),
});

export const ListSmartChatJobQuery = Type.Object({
  state: opt(str('Job states, comma-separated (default: all).', { maxLength: 1024 })),
  offset: opt(Type.Integer({ description: 'Offset of the first job (default 0).', minimum: 0, maximum: INT32_MAX })),
  limit: opt(Type.Integer({ description: 'Jobs per page, 1 to 100 (default 10).', minimum: 1, maximum: 100 })),
});
export type ListSmartChatJobQuery = Static<typeof ListSmartChatJobQuery>;

export const ListSmartChatJobResponse = Type.Object({
  count: Type.Integer({ description: 'Jobs that match (all pages).' }),
  smart_chat_jobs: Type.Array(SmartChatJobBaseInfo),
});

// ---------------------------------------------------------------------------------------------------------
// Dialog URLs and one-time codes (§4.10, §4.11)
// ---------------------------------------------------------------------------------------------------------

export const CreateDialogUrlReq = Type.Object({
  room_id: str('Room ID.', { minLength: 1, maxLength: 64 }),
  robot_id: str('Application (robot) ID.', { minLength: 1, maxLength: 64 }),
});
export type CreateDialogUrlReq = Static<typeof CreateDialogUrlReq>;

export const CreateDialogUrlResponse = Type.Object({ url: str('The dialog page: signed, valid for 15 minutes, for one session.') });

export const CreateOnceCodeResponse = Type.Object({ once_code: str('One-time code: valid for 5 minutes, single use.') });
