/**
 * Wire schemas of MetaStudio's asset library (资产库): ListAssets, ShowAsset, CreateDigitalAsset,
 * UpdateDigitalAsset, DeleteAsset, RestoreAsset and ListAssetSummary, as the official SDKs' model
 * classes name them (`spec/assets.md`). The conventions of `wireSchemas.ts`: no
 * `additionalProperties: false` (newer SDKs may send fields we do not know), no `default` in
 * responses, integers where the SDKs have int32/int64 (the Go SDK fails on a fraction).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { enumOf, ErrorResponse } from '../wireSchemas.js';

export const ASSET_TYPES = [
  'HUMAN_MODEL', 'VOICE_MODEL', 'SCENE', 'ANIMATION', 'VIDEO', 'IMAGE', 'PPT', 'MATERIAL', 'NORMAL_MODEL', 'COMMON_FILE', 'HUMAN_MODEL_2D', 'BUSINESS_CARD_TEMPLET', 'MUSIC', 'AUDIO',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const ASSET_STATES = ['CREATING', 'FAILED', 'UNACTIVED', 'ACTIVED', 'DELETING', 'DELETED', 'BLOCK', 'WAITING_DELETE'] as const;
export type AssetState = (typeof ASSET_STATES)[number];

export const SUPPORTED_SERVICES = ['VIDEO_2D', 'LIVE_2D', 'CHAT_2D'] as const;
export type SupportedService = (typeof SUPPORTED_SERVICES)[number];

export const SYSTEM_PROPERTY_KEYS = [
  'STYLE_ID', 'DH_ID', 'PLATFORM_AVAILABLE', 'RENDER_ENGINE', 'BACKGROUND_IMG', 'BACKGROUND_SCENE', 'CREATED_BY_PLATFORM', 'MATERIAL_IMG', 'MATERIAL_VIDEO',
  'DIGITAL_HUMAN_2D_VIDEO', 'DIGITAL_HUMAN_3D_VIDEO', 'BUSSINESS_CARD_VIDEO', 'BUSINESS_CARD_VIDEO', 'PHOTO_VIDEO', 'TO_BE_TRANSLATED_VIDEO', 'TRANSLATED_VIDEO',
  'LAYER_CONFIG_ENABLE', 'MEITUAN_MATERIAL_APPROVED', 'IS_CONTROLLED', 'LIVE_IS_AUTHORIZED', 'VIDEO_IS_AUTHORIZED', 'CHAT_IS_AUTHORIZED',
] as const;

export const ASSET_SORT_KEYS = ['create_time', 'update_time', 'asset_order'] as const;

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string, limits: { minLength?: number; maxLength?: number } = {}) => Type.String({ description, ...limits });
const int = (description: string) => Type.Integer({ description });
/** Parts of a request avatarforge keeps no record of (review, sharing, type-specific metadata): any JSON object. */
const anyObject = (description: string) => Type.Object({}, { description });

export const SystemProperty = Type.Object({
  action: opt(enumOf(['ADD', 'DELETE'] as const, { description: 'On Update: add (or replace) the key, or delete it. Absent: ADD.' })),
  key: enumOf(SYSTEM_PROPERTY_KEYS, { description: 'Property key. Tenants may set BACKGROUND_IMG, BACKGROUND_SCENE, MATERIAL_IMG, MATERIAL_VIDEO and BUSINESS_CARD_VIDEO (also spelt BUSSINESS_CARD_VIDEO); the others are the platform\'s.' }),
  value: opt(str('Property value, e.g. Yes, Horizontal or Vertical (1 to 1024 characters; may be omitted with action DELETE).', { maxLength: 1024 })),
});
export type SystemProperty = Static<typeof SystemProperty>;

export const AssetFileInfo = Type.Object({
  file_id: opt(str('File ID.')),
  file_name: opt(str('File name.')),
  file_md5: opt(str('MD5 of the bytes, Base64 (24 characters); a large file has one once it is confirmed.')),
  file_size: opt(int('Size in bytes (a large file created without file_size: once it is confirmed).')),
  file_type: opt(str('File type (its extension).')),
  asset_file_category: opt(str('Role of the file in the asset: MAIN (the asset itself: the model, the video), COVER, PAGE, OTHER or PACKAGE.')),
  download_url: opt(str('Download URL, valid for 24 hours.')),
  state: opt(str('File state: CREATED (uploaded).')),
  reason: opt(str('Why the file failed.')),
});

export const HumanModel2DAssetMeta = Type.Object({
  is_action_editable: opt(Type.Boolean({ description: 'Actions editable: false on avatarforge.' })),
  is_real_background: opt(Type.Boolean({ description: 'Keeps its filmed background: false on avatarforge.' })),
  support_live: opt(Type.Boolean({ description: 'Usable for live streaming: false on avatarforge (video only).' })),
  model_version: opt(str('Model generation (V2, V3, V3_2, V3_3); never set by avatarforge, whose models have their own format.')),
  model_resolution: opt(str('Model resolution of the training job (1080P or 4K).')),
  device_names: opt(Type.Array(Type.String(), { description: 'Device types the model was compiled for.' })),
  is_with_action_library: opt(Type.Boolean({ description: 'Has an atomic-action library: false on avatarforge.' })),
  is_flexus: opt(Type.Boolean({ description: 'Flexus edition (as the training job was created).' })),
  is_live_copy: opt(Type.Boolean({ description: 'Made by a live-room replication job (as the training job was created).' })),
});

const mode = enumOf(['Horizontal', 'Vertical'] as const, { description: 'Landscape (width at least the height) or portrait, as displayed.' });
const kbps = (what: string) => int(`Average ${what} bit rate in kbit/s (rounded).`);

export const VideoAssetMeta = Type.Object({
  video_codec: opt(str('Video codec, in capitals (e.g. H264, HEVC, VP9).')),
  width: opt(int('Width in pixels, as displayed (a rotated video\'s turned dimensions).')),
  height: opt(int('Height in pixels, as displayed.')),
  frame_rate: opt(str('Frames per second, as a string (e.g. "25", "29.97").')),
  video_bit_rate: opt(kbps('video')),
  duration: opt(int('Duration in whole seconds (rounded).')),
  audio_codec: opt(str('Audio codec of the first audio stream, in capitals (e.g. AAC).')),
  audio_bit_rate: opt(kbps('audio')),
  audio_channels: opt(int('Audio channels.')),
  sample: opt(int('Audio sample rate in Hz.')),
  mode: opt(mode),
});

export const ImageAssetMeta = Type.Object({
  codec: opt(str('Image coding, in capitals (e.g. PNG, MJPEG for JPEG, GIF, BMP).')),
  width: opt(int('Width in pixels.')),
  height: opt(int('Height in pixels.')),
  size: opt(int('Size of the file in bytes.')),
  mode: opt(mode),
  frame_rate: opt(str('Frames per second of an animated image (GIF), as a string.')),
  duration: opt(int('Duration of an animated image (GIF) in whole seconds (rounded).')),
});

export const AudioAssetMeta = Type.Object({
  duration: opt(int('Duration in whole seconds (rounded).')),
  audio_codec: opt(str('Audio codec, in capitals (e.g. MP3, AAC, PCM_S16LE).')),
  audio_bit_rate: opt(kbps('audio')),
  audio_channels: opt(int('Channels.')),
  sample: opt(int('Sample rate in Hz.')),
});

export const AssetExtraMeta = Type.Object(
  {
    human_model_2d_meta: opt(HumanModel2DAssetMeta),
    video_meta: opt(VideoAssetMeta),
    image_meta: opt(ImageAssetMeta),
    audio_meta: opt(AudioAssetMeta),
  },
  {
    description:
      'Type-specific metadata, filled by the system: human_model_2d_meta for HUMAN_MODEL_2D; video_meta for VIDEO; image_meta for IMAGE and audio_meta for AUDIO and MUSIC, read from the MAIN file when it is confirmed (absent when it cannot be read as such media).',
  },
);
export type AssetExtraMeta = Static<typeof AssetExtraMeta>;

export const DigitalAssetInfo = Type.Object({
  project_id: opt(str("Tenant's project ID.")),
  asset_id: opt(str('Asset ID.')),
  asset_name: opt(str('Asset name.')),
  asset_description: opt(str('Description.')),
  app_user_id: opt(str('The X-App-UserId the asset was made with.')),
  create_time: opt(str('Creation time, RFC 3339.')),
  update_time: opt(str('Last change, RFC 3339.')),
  asset_type: opt(enumOf(ASSET_TYPES, { description: 'Asset type.' })),
  asset_state: opt(enumOf(ASSET_STATES, { description: 'CREATING, FAILED, UNACTIVED, ACTIVED, DELETING (in the recycle bin, restorable) or DELETED.' })),
  reason: opt(str('Why the asset FAILED.')),
  tags: opt(Type.Array(Type.String(), { description: 'Tags.' })),
  asset_extra_meta: opt(AssetExtraMeta),
  system_properties: opt(Type.Array(Type.Object({ key: str('Property key.'), value: str('Property value.') }), { description: 'System properties.' })),
  files: opt(Type.Array(AssetFileInfo, { description: 'The files of the asset, with 24-hour download URLs.' })),
  asset_order: opt(int('Display order (0 to 32767).')),
  supported_service: opt(Type.Array(enumOf(SUPPORTED_SERVICES), { description: 'Services that can use the asset: VIDEO_2D for a model on avatarforge.' })),
});
export type DigitalAssetInfo = Static<typeof DigitalAssetInfo>;

const assetName = (required: boolean) =>
  str(`Asset name, 1 to 256 characters${required ? '' : ' (absent: unchanged)'}; unique among the assets of the project (and app user) that are not deleted for good.`, { minLength: 1, maxLength: 256 });
const tags = Type.Array(Type.String({ maxLength: 128 }), { description: 'Tags (at most 50, each at most 128 characters).', maxItems: 50 });
const assetOrder = Type.Integer({ description: 'Display order, 0 to 32767 (sort_key=asset_order; equal values: newest first).', minimum: 0, maximum: 32767 });
const supportedService = Type.Array(enumOf(SUPPORTED_SERVICES), { description: 'Services that can use the asset.', maxItems: 3 });

export const CreateDigitalAssetRequestBody = Type.Object({
  asset_name: assetName(true),
  asset_description: opt(str('Description, at most 4096 characters.', { maxLength: 4096 })),
  asset_type: enumOf(ASSET_TYPES, { description: 'Asset type. Tenants create VIDEO, IMAGE, AUDIO, MUSIC, PPT and COMMON_FILE assets; models and videos made by the product appear by themselves.' }),
  review_config: opt(anyObject('Content review settings (no effect on avatarforge).')),
  tags: opt(tags),
  asset_extra_meta: opt(anyObject('Type-specific metadata: filled by the system from the files, not by the caller (ignored).')),
  system_properties: opt(Type.Array(SystemProperty, { description: 'System properties (at most 50).', maxItems: 50 })),
  shared_config: opt(Type.Object({ shared_type: opt(Type.String({ description: 'PRIVATE (the only one avatarforge supports), PUBLIC or SHARED.' })) }, { description: 'Sharing: only PRIVATE.' })),
  is_need_generate_cover: opt(Type.Boolean({ description: 'Make a cover from the video (no effect yet).' })),
  asset_order: opt(assetOrder),
  supported_service: opt(supportedService),
  auto_operation_config: opt(Type.Array(anyObject('Scheduled BLOCK or DELETE.'), { description: 'Scheduled operations: not supported (must be absent or empty).' })),
});
export type CreateDigitalAssetRequestBody = Static<typeof CreateDigitalAssetRequestBody>;

export const CreateDigitalAssetResponse = Type.Object({ asset_id: str('ID of the new asset (CREATING until its MAIN file is uploaded).') });

export const UpdateDigitalAssetRequestBody = Type.Object({
  asset_name: opt(assetName(false)),
  asset_description: opt(str('Description, at most 4096 characters.', { maxLength: 4096 })),
  asset_type: opt(enumOf(ASSET_TYPES, { description: 'Asset type: may only name the type the asset has.' })),
  asset_state: opt(enumOf(['UNACTIVED', 'ACTIVED', 'WAITING_DELETE'] as const, { description: 'ACTIVED (usable by other services) or UNACTIVED; WAITING_DELETE is the system\'s.' })),
  review_config: opt(anyObject('Content review settings (no effect on avatarforge).')),
  tags: opt(tags),
  asset_extra_meta: opt(anyObject('Type-specific metadata: the system\'s (ignored).')),
  system_properties: opt(Type.Array(SystemProperty, { description: 'Changes to the system properties, each ADD or DELETE.', maxItems: 50 })),
  shared_config: opt(Type.Object({ shared_type: opt(Type.String()) }, { description: 'Sharing: only PRIVATE.' })),
  asset_order: opt(assetOrder),
  supported_service: opt(supportedService),
  auto_operation_config: opt(Type.Array(anyObject('Scheduled BLOCK or DELETE.'), { description: 'Scheduled operations: not supported (must be absent or empty).' })),
});
export type UpdateDigitalAssetRequestBody = Static<typeof UpdateDigitalAssetRequestBody>;

const listOf = (description: string) =>
  Type.Union([Type.String({ maxLength: 4096 }), Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })], { description: `${description} (repeated keys or comma-separated).` });
const flag = (description: string) => opt(Type.Boolean({ description }));

export const ListAssetsQuery = Type.Object({
  limit: opt(Type.Integer({ description: 'Assets per page, 1 to 100 (default 10).', minimum: 1, maximum: 100 })),
  offset: opt(Type.Integer({ description: 'Offset of the first asset (default 0).', minimum: 0, maximum: 2147483647 })),
  name: opt(str('Keep assets whose name contains this (exactly this with accurate_query_field=name).', { maxLength: 128 })),
  tag: opt(str('Keep assets with a tag containing this (exactly this with accurate_query_field=tag); several separated by commas.', { maxLength: 1024 })),
  tag_combination_type: opt(enumOf(['INTERSECTION', 'UNION_SET'] as const, { description: 'Several tags: all of them (INTERSECTION) or any (UNION_SET, the default).' })),
  start_time: opt(str('Keep assets created at or after this time (RFC 3339).', { maxLength: 64 })),
  end_time: opt(str('Keep assets created at or before this time (RFC 3339).', { maxLength: 64 })),
  asset_type: opt(str('Asset types separated by commas.', { maxLength: 512 })),
  sort_key: opt(enumOf(ASSET_SORT_KEYS, { description: 'create_time (default), update_time or asset_order (equal values: newest first).' })),
  sort_dir: opt(enumOf(['asc', 'desc'] as const, { description: 'Sort direction (default asc).' })),
  asset_source: opt(enumOf(['SYSTEM', 'CUSTOMIZATION', 'ALL', 'GROUP_CUSTOMIZATION'] as const, { description: "CUSTOMIZATION (default): the tenant's assets; SYSTEM: the platform's (avatarforge ships none); ALL: both." })),
  asset_state: opt(str('Asset states separated by commas (default: every state but DELETED, recycle bin included).', { maxLength: 512 })),
  style_id: opt(str('3D style (no avatarforge asset has one).', { maxLength: 64 })),
  accurate_query_field: opt(listOf('Filters that match exactly instead of as substrings: name, tag')),
  render_engine: opt(str('Render engine (no avatarforge asset has one).', { maxLength: 64 })),
  asset_id: opt(listOf('Keep the assets with these IDs')),
  sex: opt(str('Voice gender (avatarforge has no voice assets).', { maxLength: 128 })),
  language: opt(str('Voice language (avatarforge has no voice assets).', { maxLength: 128 })),
  system_property: opt(str('System properties KEY:Value separated by commas, all of which an asset must have.', { maxLength: 1024 })),
  action_editable: flag('2D models with editable actions (true matches none on avatarforge).'),
  is_with_action_library: flag('2D models with an action library (true matches none on avatarforge).'),
  is_movable: flag('2D models that can walk (true matches none on avatarforge).'),
  voice_provider: opt(str('Voice vendor (avatarforge has no voice assets).', { maxLength: 128 })),
  role: opt(enumOf(['SHARER', 'SHAREE'] as const, { description: 'Sharing role (sharing is not supported: matches none).' })),
  is_realtime_voice: flag('Real-time voices (avatarforge has no voice assets: true matches none).'),
  human_model_2d_version: opt(str('2D model version (avatarforge models have none: matches none).', { maxLength: 128 })),
  include_device_name: opt(str('Models compiled for this device (matches none on avatarforge).', { maxLength: 128 })),
  exclude_device_name: opt(str('Models not compiled for this device (every avatarforge model).', { maxLength: 128 })),
  supported_service: opt(enumOf(SUPPORTED_SERVICES, { description: 'Keep assets that support this service.' })),
  app_user_id: opt(str('Keep assets made with this X-App-UserId.', { maxLength: 256 })),
  project_group_id: opt(str('Tenant group (not supported: ignored).', { maxLength: 64 })),
});
export type ListAssetsQuery = Static<typeof ListAssetsQuery>;

export const ListAssetsResponse = Type.Object({
  count: Type.Integer({ description: 'Number of assets that match the filters (all pages).' }),
  assets: Type.Array(DigitalAssetInfo),
});
export type ListAssetsResponse = Static<typeof ListAssetsResponse>;

export const ListAssetSummarysReq = Type.Object({
  asset_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { description: 'IDs of the assets, 1 to 100; unknown ones (or not visible to the caller) are left out of the answer.', minItems: 1, maxItems: 100 }),
});

export const DigitalAssetSummary = Type.Object({
  asset_id: opt(str('Asset ID.')),
  asset_name: opt(str('Asset name.')),
  asset_state: opt(enumOf(ASSET_STATES, { description: 'Asset state.' })),
  asset_type: opt(str('Asset type.')),
  cover_url: opt(str('Cover image download URL, valid for 24 hours (assets with a COVER file).')),
  thumbnail_url: opt(str('Thumbnail download URL, valid for 24 hours: the cover.')),
});
export type DigitalAssetSummary = Static<typeof DigitalAssetSummary>;

export const ListAssetSummaryResponse = Type.Object({ asset_list: Type.Array(DigitalAssetSummary, { description: 'The assets found, in the order asked.' }) });

export const DeleteAssetQuery = Type.Object({
  mode: opt(enumOf(['force'] as const, { description: 'force: delete for good at once (the files are freed); absent: move to the recycle bin (DELETING), restorable for 7 days.' })),
});

export { ErrorResponse };

export const FilesCreateReq = Type.Object({
  file_name: str('File name, e.g. studio.png (1 to 256 characters).', { minLength: 1, maxLength: 256 }),
  file_md5: Type.String({ description: 'MD5 of the bytes, Base64-encoded (RFC 1864, 24 characters); the upload must match it.', pattern: '^[A-Za-z0-9+/]{22}==$' }),
  file_size: Type.Integer({ description: 'Size in bytes, 1 to 5368709120; the upload must match it.', minimum: 1, maximum: 5368709120 }),
  file_type: str('File type, its extension (e.g. png); a MAIN file must be of a format of its asset type.', { minLength: 1, maxLength: 64 }),
  asset_id: str('The asset the file belongs to: one of your own, CREATING or FAILED for a MAIN file.', { minLength: 1, maxLength: 64 }),
  asset_file_category: str('MAIN (the asset itself: one per asset), COVER, PAGE or OTHER.', { minLength: 1, maxLength: 128 }),
});
export type FilesCreateReq = Static<typeof FilesCreateReq>;

export const CreateFileResponse = Type.Object({
  file_id: str('File ID.'),
  upload_url: str('Single-use URL, valid for 24 hours: PUT the bytes to it (Content-MD5 and Content-Type headers are accepted and not required).'),
});

export const ConfirmFileUploadRequestBody = Type.Object({
  state: enumOf(['CREATED', 'FAILED', 'CANCELLED'] as const, {
    description:
      "CREATED: the bytes are uploaded (checked against file_size and file_md5; a large file's parts are joined in order, all of them there and together of file_size when it was given); FAILED or CANCELLED: they will not come.",
  }),
});

export const LargeFilesCreateReq = Type.Object({
  file_name: str('File name, e.g. studio.mp4 (1 to 256 characters).', { minLength: 1, maxLength: 256 }),
  file_size: opt(
    Type.Integer({ description: 'Total size in bytes, 1 to 536870912000 (500 GiB); optional. When given, the parts together must have exactly this many bytes.', minimum: 1, maximum: 536870912000 }),
  ),
  file_type: str('File type, its extension (e.g. mp4); a MAIN file must be of a format of its asset type.', { minLength: 1, maxLength: 64 }),
  asset_id: str('The asset the file belongs to: one of your own.', { minLength: 1, maxLength: 64 }),
  asset_file_category: str('MAIN (the asset itself: one per asset), OTHER or PACKAGE.', { minLength: 1, maxLength: 128 }),
  file_multipart_count: opt(
    Type.Integer({ description: 'How many parts the file is uploaded in, 1 to 1000 (default 1): one upload URL each.', minimum: 1, maximum: 1000 }),
  ),
});
export type LargeFilesCreateReq = Static<typeof LargeFilesCreateReq>;

export const CreateLargeFileResponse = Type.Object({
  file_id: str('File ID.'),
  upload_urls: Type.Array(Type.String(), {
    description:
      'One single-use URL per part, in part order, valid for 24 hours: PUT part n\'s bytes to the n-th; ConfirmFileUpload then joins the parts in this order.',
  }),
});
