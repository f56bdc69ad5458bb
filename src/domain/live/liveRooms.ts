import { ApiError } from '../errors.js';
import { DEFAULT_VOICES, findVoice } from '../voices/catalogue.js';
import type { JobSession } from './liveSession.js';
import type { ChatVoiceConfig, CreateSmartChatRoomReq, VoiceConfig } from './liveWire.js';

/*
 * The rules of a room's body (Create and Update take the same type), beyond its schema: what the
 * media slice will be able to honour. Each refusal is 400 MSS.00000003 naming the field.
 */

/** Chat video is 1920x1080 or 1080x1920 only (spec §5.9). */
const CHAT_VIDEO_SIZES = [
  [1920, 1080],
  [1080, 1920],
] as const;
const SPOKEN_LANGUAGES = ['CN', 'EN'] as const;
type SpokenLanguage = (typeof SPOKEN_LANGUAGES)[number];
const DEFAULT_VOICE_OF: Record<SpokenLanguage, string> = { CN: DEFAULT_VOICES.zh, EN: DEFAULT_VOICES.en };
const LANGUAGE_DESCRIPTIONS: Record<SpokenLanguage, string> = { CN: 'Chinese', EN: 'English' };
export const SPEECH_LANGUAGE: Record<SpokenLanguage, 'zh_CN' | 'en_US'> = { CN: 'zh_CN', EN: 'en_US' };

function refuse(field: string, why: string): never {
  throw new ApiError('INVALID_PARAMETER', `${field}: ${why}`);
}

function spokenLanguage(field: string, language: string | undefined): SpokenLanguage {
  const value = language ?? 'CN';
  if (!(SPOKEN_LANGUAGES as readonly string[]).includes(value)) refuse(field, `${value} is not spoken by avatarforge's voices; CN or EN`);
  return value as SpokenLanguage;
}

/** A voice with its defaults filled in: "" (or absent) is the language's default voice; 0 is "not set". */
function normalisedVoice(field: string, voice: VoiceConfig | ChatVoiceConfig, language: SpokenLanguage) {
  const voiceAssetId = voice.voice_asset_id ?? '';
  if (voiceAssetId !== '' && findVoice(voiceAssetId) === undefined) {
    refuse(`${field}.voice_asset_id`, `${JSON.stringify(voiceAssetId.slice(0, 64))} is not a voice of this service (GET /v1/{project_id}/voices lists them; "" takes the default voice)`);
  }
  const ranged = (name: 'speed' | 'pitch' | 'volume', minimum: number, fallback: number) => {
    const value = voice[name];
    if (value === undefined || value === 0) return fallback;
    if (value < minimum) refuse(`${field}.${name}`, `${value} is below ${minimum}`);
    return value;
  };
  return {
    voice_asset_id: voiceAssetId === '' ? DEFAULT_VOICE_OF[language] : voiceAssetId,
    speed: ranged('speed', 50, 100),
    pitch: ranged('pitch', 50, 100),
    volume: ranged('volume', 90, 140),
  };
}

/**
 * The body checked and with its defaults filled in, as the room keeps it (Update replaces it whole:
 * a field left out takes its default again). The model asset is checked by the service.
 */
export function normaliseRoom(body: CreateSmartChatRoomReq): CreateSmartChatRoomReq & { model_asset_id: string } {
  if (body.model_asset_id === undefined || body.model_asset_id === '') refuse('model_asset_id', 'required: the 2D model the room shows (a HUMAN_MODEL_2D asset)');
  const defaultLanguage = spokenLanguage('default_language', body.default_language);
  const video = body.video_config;
  const portrait = body.chat_video_type === 'MOBILE';
  const width = video?.width || (video?.height ? (video.height === 1920 ? 1080 : 1920) : portrait ? 1080 : 1920);
  const height = video?.height || (width === 1080 ? 1920 : 1080);
  if (!CHAT_VIDEO_SIZES.some(([w, h]) => w === width && h === height)) refuse('video_config', `${width}x${height}: intelligent interaction is 1920x1080 or 1080x1920`);
  if (video?.bitrate && (video.bitrate < 1000 || video.bitrate > 8000)) refuse('video_config.bitrate', `${video.bitrate}: 1000 to 8000 kbit/s`);
  if (video?.codec === 'VP8' || video?.codec === 'QTRLE') refuse('video_config.codec', `${video.codec} is for video production only; H264 or VP9`);
  for (const flag of ['is_subtitle_enable', 'is_enable_super_resolution', 'is_end_at_first_frame', 'is_vocabulary_config_enable'] as const) {
    if (video?.[flag] === true) refuse(`video_config.${flag}`, 'not for intelligent interaction (chat subtitles are drawn by the client in chat_subtitle_config)');
  }
  if (video?.output_external_url !== undefined) refuse('video_config.output_external_url', 'intelligent interaction video goes to the session, not to a URL');

  const voiceList = body.voice_config_list?.map((voice, index) => {
    const field = `voice_config_list[${index}]`;
    const language = spokenLanguage(`${field}.language`, voice.language);
    return { ...voice, ...normalisedVoice(field, voice, language), language };
  });
  const languages = voiceList?.map((voice) => voice.language) ?? [];
  const repeated = languages.find((language, index) => languages.indexOf(language) !== index);
  if (repeated) refuse('voice_config_list', `two voices for ${repeated}; one voice per language`);

  return {
    ...body,
    model_asset_id: body.model_asset_id,
    video_config: { ...video, width, height, ...(video?.bitrate ? {} : { bitrate: 4000 }), ...(video?.codec ? {} : { codec: 'H264' as const }) },
    ...(body.voice_config && { voice_config: normalisedVoice('voice_config', body.voice_config, defaultLanguage) }),
    ...(voiceList && { voice_config_list: voiceList }),
    billing_mode: body.billing_mode ?? 'CONCURRENCY',
    reuse_resource: body.reuse_resource ?? false,
    concurrency: body.concurrency ?? 0,
    default_language: defaultLanguage,
  };
}

/** What a job starts with: the room's video size, voices (one per language), subtitle box and terminal type. */
export function sessionOf(settings: CreateSmartChatRoomReq & { model_asset_id: string }): JobSession {
  const defaultLanguage = spokenLanguage('default_language', settings.default_language);
  const voices: JobSession['voices'] = (settings.voice_config_list ?? []).map((voice) => {
    const language = spokenLanguage('language', voice.language);
    return { ...normalisedVoice('voice_config_list', voice, language), language };
  });
  if (!voices.some((voice) => voice.language === defaultLanguage)) {
    voices.unshift({ ...normalisedVoice('voice_config', settings.voice_config ?? {}, defaultLanguage), language: defaultLanguage });
  }
  return {
    width: settings.video_config?.width ?? 1920,
    height: settings.video_config?.height ?? 1080,
    defaultLanguage,
    voices,
    ...(settings.chat_subtitle_config && { subtitle: settings.chat_subtitle_config }),
    ...(settings.chat_video_type && { chatVideoType: settings.chat_video_type }),
    modelAssetId: settings.model_asset_id,
  };
}

export function languageDescription(language: SpokenLanguage): string {
  return LANGUAGE_DESCRIPTIONS[language];
}
