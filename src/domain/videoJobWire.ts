/**
 * Wire schemas of MetaStudio's 2D digital-human video jobs (分身数字人视频制作): Create, Show, Cancel
 * and List, as the official SDKs' model classes name them (`spec/digital-human-videos.md`).
 *
 * The same conventions as `wireSchemas.ts`: no `additionalProperties: false` (newer SDKs may send
 * fields we do not know), no `default` in responses. Request parts that avatarforge's renderer cannot
 * honour are still described here so that the body validates; the domain refuses them by name
 * (`videoJobRequest.ts`), with a clear message, instead of ignoring them.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { enumOf, ErrorResponse, INT32_MAX, INT32_MIN } from './wireSchemas.js';

export const VIDEO_JOB_STATES = ['WAITING', 'PROCESSING', 'SUCCEED', 'FAILED', 'CANCELED', 'BLOCK'] as const;
export type VideoJobState = (typeof VIDEO_JOB_STATES)[number];

export const VIDEO_JOB_TYPES = ['2D_DIGITAL_HUMAN_VIDEO', 'DIGITAL_HUMAN_PHOTO_VIDEO'] as const;
export type VideoJobType = (typeof VIDEO_JOB_TYPES)[number];
export const SCRIPT_TYPES = ['TEXT', 'AUDIO'] as const;
export const CLIP_MODES = ['RESIZE', 'CROP'] as const;
export const VIDEO_CODECS = ['H264', 'VP8', 'VP9', 'QTRLE'] as const;
export const VIDEO_LIST_SORT_KEYS = ['create_time', 'update_time', 'asset_order'] as const;

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string) => Type.String({ description });
const int32 = (description: string, range: { minimum?: number; maximum?: number } = {}) =>
  Type.Integer({ description, minimum: INT32_MIN, maximum: INT32_MAX, ...range });
/** Parts of the request avatarforge does not render (layers, backgrounds, actions...): any JSON object. */
const anyObject = (description: string) => Type.Object({}, { description });

export const VoiceConfig = Type.Object({
  voice_asset_id: opt(Type.String({ description: 'Voice model asset ID. avatarforge has one offline voice per language and ignores it.', maxLength: 256 })),
  // 0 stands for "not set": the Go SDK sends 0 for fields its caller left out.
  speed: opt(int32('Speaking rate, 50 to 200 (100: normal; 0: not set).', { minimum: 0, maximum: 200 })),
  pitch: opt(int32('Pitch, 50 to 200 (100: normal; 0: not set). Not honoured by the offline voice.', { minimum: 0, maximum: 200 })),
  volume: opt(int32('Volume, 90 to 240 (140: normal; 0: not set).', { minimum: 0, maximum: 240 })),
});
export type VoiceConfig = Static<typeof VoiceConfig>;

export const VideoConfig = Type.Object({
  clip_mode: opt(enumOf(CLIP_MODES, { description: 'RESIZE (scale) or CROP. avatarforge supports RESIZE.' })),
  codec: opt(enumOf(VIDEO_CODECS, { description: 'H264 (MP4), VP8 / VP9 (WebM), QTRLE (MOV). avatarforge supports H264.' })),
  // 0 stands for "not set" (the Go SDK sends 0 for fields its caller left out).
  bitrate: opt(int32('Video bit rate in kbit/s, 40 to 30000 (0: not set).', { minimum: 0, maximum: 30000 })),
  width: opt(int32('Video width in pixels: 1920 or 1280 on avatarforge (0: not set, 1920).', { minimum: 0, maximum: 3840 })),
  height: opt(int32('Video height in pixels: 1080 or 720 on avatarforge (0: not set, 1080).', { minimum: 0, maximum: 3840 })),
  frame_rate: opt(Type.String({ description: 'Frames per second; 2D digital-human videos are fixed at 25.', maxLength: 8 })),
  is_subtitle_enable: opt(Type.Boolean({ description: 'Burn in subtitles (not supported by avatarforge).' })),
  subtitle_config: opt(anyObject('Subtitle settings.')),
  dx: opt(int32('Crop origin x (CROP only).')),
  dy: opt(int32('Crop origin y (CROP only).')),
  is_enable_super_resolution: opt(Type.Boolean({ description: 'Super resolution (not supported by avatarforge).' })),
  is_end_at_first_frame: opt(Type.Boolean({ description: 'End on the first frame (not supported by avatarforge).' })),
  output_external_url: opt(Type.String({ description: 'Push the video to this URL (not supported by avatarforge).', maxLength: 2048 })),
  is_vocabulary_config_enable: opt(Type.Boolean({ description: 'Use the tenant vocabulary in TTS (no effect on avatarforge).' })),
});
export type VideoConfig = Static<typeof VideoConfig>;

export const ShootScript = Type.Object({
  script_type: opt(enumOf(SCRIPT_TYPES, { description: 'TEXT: spoken by the offline TTS; AUDIO: driven by an audio file.' })),
  text_config: opt(Type.Object({ text: opt(Type.String({ description: 'What the avatar says (plain text).', maxLength: 131072 })) })),
  audio_duration: opt(Type.Number({ description: 'Audio duration in seconds (answered by Show for AUDIO scripts).' })),
  audio_drive_action_config: opt(Type.Array(anyObject('Action in an audio-driven script.'))),
  audio_drive_file_external_url: opt(
    Type.String({ description: "Audio for an AUDIO script: an audio file uploaded to this server, or a URL on a host the operator allowed.", maxLength: 2048 }),
  ),
  background_config: opt(Type.Array(anyObject('Background settings.'))),
  layer_config: opt(Type.Array(anyObject('Layer settings.'))),
  audio_config: opt(anyObject('Audio asset settings.')),
});
export type ShootScript = Static<typeof ShootScript>;

export const ShootScriptItem = Type.Object({
  sequence_no: opt(int32('Position of the script in the video (scripts play in sequence_no order).', { minimum: 0 })),
  shoot_script: opt(ShootScript),
  subtitle_file_info: opt(anyObject('Subtitle files.')),
});
export type ShootScriptItem = Static<typeof ShootScriptItem>;

export const OutputAssetConfig = Type.Object({
  asset_name: opt(Type.String({ description: 'Name of the output video asset.', maxLength: 256 })),
});

export const Create2DDigitalHumanVideoReq = Type.Object({
  script_id: opt(Type.String({ description: 'Script ID (kept and answered; avatarforge has no script library).', maxLength: 64 })),
  model_asset_id: Type.String({ description: 'Asset ID of a finished 2D model training job of this project (its `asset_id`).', minLength: 1, maxLength: 64 }),
  voice_config: opt(VoiceConfig),
  video_config: VideoConfig,
  shoot_scripts: Type.Array(ShootScriptItem, { description: 'The scripts, spoken in sequence_no order.', minItems: 1, maxItems: 100 }),
  output_asset_config: opt(OutputAssetConfig),
  background_music_config: opt(anyObject('Background music (not supported by avatarforge).')),
  review_config: opt(anyObject('Content review settings (no effect on avatarforge).')),
  callback_config: opt(anyObject('Callback settings (not supported by avatarforge).')),
  action_config: opt(anyObject('Action settings (not supported by avatarforge).')),
});
export type Create2DDigitalHumanVideoReq = Static<typeof Create2DDigitalHumanVideoReq>;

export const Create2DDigitalHumanVideoResponse = Type.Object({ job_id: str('Video job ID.') });

export const OutputAssetInfo = Type.Object({
  asset_id: opt(str("ID of the job's VIDEO asset in the asset library (ShowAsset), allocated at Create and answered from then on.")),
  asset_name: opt(str('Name of the output video asset: output_asset_config.asset_name of the Create, or the job ID when that was absent or empty.')),
  cover_url: opt(str('Cover image (JPEG) download URL, valid for 24 hours.')),
  preview_video_url: opt(str('Video (MP4) download URL, valid for 24 hours.')),
});

/** List's items: the job without its request settings. */
const videoJobSummaryProperties = {
  job_id: str('Video job ID.'),
  state: enumOf(VIDEO_JOB_STATES, { description: 'WAITING, PROCESSING, SUCCEED, FAILED, CANCELED (BLOCK is never set by avatarforge).' }),
  job_type: opt(enumOf(VIDEO_JOB_TYPES, { description: 'Job type.' })),
  start_time: opt(str('When rendering started, RFC 3339.')),
  end_time: opt(str('When the job ended, RFC 3339.')),
  duration: opt(Type.Number({ description: 'Video duration in seconds.' })),
  output_asset_config: opt(OutputAssetInfo),
  error_info: opt(ErrorResponse),
  create_time: opt(str('Creation time, RFC 3339.')),
  lastupdate_time: opt(str('Last change, RFC 3339.')),
};

export const DigitalHumanVideo = Type.Object(videoJobSummaryProperties);
export type DigitalHumanVideo = Static<typeof DigitalHumanVideo>;

export const Show2DDigitalHumanVideoResponse = Type.Object({
  ...videoJobSummaryProperties,
  script_id: opt(str('Script ID, as created.')),
  video_making_type: opt(str('MODEL (a model asset renders the video).')),
  model_asset_id: opt(str('Model asset ID, as created.')),
  voice_config: opt(VoiceConfig),
  video_config: opt(VideoConfig),
  shoot_scripts: opt(Type.Array(ShootScriptItem)),
});
export type Show2DDigitalHumanVideoResponse = Static<typeof Show2DDigitalHumanVideoResponse>;

export const ListDigitalHumanVideoResponse = Type.Object({
  count: Type.Integer({ description: 'Number of jobs that match the filters (all pages).' }),
  jobs: Type.Array(DigitalHumanVideo),
});

export const ListDigitalHumanVideoQuery = Type.Object({
  offset: opt(int32('Offset of the first job (default 0).', { minimum: 0 })),
  limit: opt(Type.Integer({ description: 'Jobs per page, 1 to 100 (default 10).', minimum: 1, maximum: 100 })),
  state: opt(Type.String({ description: 'Job states separated by commas.', maxLength: 1024 })),
  sort_key: opt(enumOf(VIDEO_LIST_SORT_KEYS, { description: 'Sort field: create_time, update_time (last change) or asset_order (creation order).' })),
  sort_dir: opt(enumOf(['asc', 'desc'] as const, { description: 'Sort direction (default asc).' })),
  create_until: opt(Type.String({ description: 'Keep jobs created at or before this time (RFC 3339). Without create_since and create_until, the last month.', maxLength: 64 })),
  create_since: opt(Type.String({ description: 'Keep jobs created at or after this time (RFC 3339).', maxLength: 64 })),
  fuzzy_query_field: opt(Type.Union([Type.String({ maxLength: 256 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 })], { description: 'Filters that match as substrings: asset_name, job_id (repeated keys or comma-separated).' })),
  script_id: opt(Type.String({ description: 'Keep jobs of this script.', maxLength: 64 })),
  asset_name: opt(Type.String({ description: 'Keep jobs whose output asset has this name (a substring with fuzzy_query_field=asset_name).', maxLength: 128 })),
  job_type: opt(Type.String({ description: 'Keep jobs of this type: 2D_DIGITAL_HUMAN_VIDEO (DIGITAL_HUMAN_PHOTO_VIDEO, also spelt PHOTO_DIGITAL_HUMAN_VIDEO, matches none here).', maxLength: 64 })),
  job_id: opt(Type.String({ description: 'Keep the job with this ID.', maxLength: 64 })),
  job_ids: opt(Type.Union([Type.String({ maxLength: 4096 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })], { description: 'Keep the jobs with these IDs (repeated keys or comma-separated).' })),
});

export const ShowDigitalHumanVideoQuery = Type.Object({
  show_script: opt(Type.Boolean({ description: 'Also answer the script fields (script_id, model_asset_id, voice_config, video_config, shoot_scripts). Default false.' })),
});
export type ListDigitalHumanVideoQuery = Static<typeof ListDigitalHumanVideoQuery>;
