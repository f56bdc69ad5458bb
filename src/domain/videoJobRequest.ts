import { ApiError } from './errors.js';
import type { RenderPlan } from './videoJob.js';
import { findVoice, languageOf } from './voices/catalogue.js';
import type { Create2DDigitalHumanVideoReq, ShootScriptItem } from './videoJobWire.js';

/** The sizes the renderer makes: a 1080p model at full size or scaled to 720p (landscape). */
export const SUPPORTED_VIDEO_SIZES: ReadonlyArray<readonly [number, number]> = [
  [1920, 1080],
  [1280, 720],
];
/** Characters of text one script may say (the API documents 10,000 without SSML tags). */
export const MAX_SCRIPT_TEXT_CHARACTERS = 10000;

/** A Create request, checked: the settings to store, the render plan, and the audio to fetch per AUDIO script. */
export interface PlannedVideoJob {
  shootScripts: ShootScriptItem[];
  plan: Omit<RenderPlan, 'scripts'> & { scripts: Array<{ sequence_no: number; text: string; language: 'en' | 'zh' } | { sequence_no: number; audioUrl: string }> };
}

/**
 * Checks what the renderer can honour and turns the request into a render plan. Everything it
 * cannot do (another codec, subtitles, layers, backgrounds, music, callbacks...) is refused by name
 * rather than ignored: a video that silently lacks what was asked for is worse than a clear error.
 */
export function planVideoJob(request: Create2DDigitalHumanVideoReq): PlannedVideoJob {
  const video = request.video_config;
  refuseIf(video.codec !== undefined && video.codec !== 'H264', `video_config.codec ${video.codec}: avatarforge makes H264 (MP4) videos only`);
  refuseIf(video.clip_mode !== undefined && video.clip_mode !== 'RESIZE', `video_config.clip_mode ${video.clip_mode}: avatarforge supports RESIZE only`);
  refuseIf(video.frame_rate !== undefined && Number(video.frame_rate) !== 25, `video_config.frame_rate ${video.frame_rate}: 2D digital-human videos are made at 25 frames per second`);
  refuseIf(video.is_subtitle_enable === true, 'video_config.is_subtitle_enable: avatarforge does not burn in subtitles');
  refuseIf(video.is_enable_super_resolution === true, 'video_config.is_enable_super_resolution: not supported by avatarforge');
  refuseIf(video.is_end_at_first_frame === true, 'video_config.is_end_at_first_frame: not supported by avatarforge');
  refuseIf(video.output_external_url !== undefined, 'video_config.output_external_url: avatarforge does not push videos to other servers; download the video from output_asset_config');
  const width = video.width || 1920;
  const height = video.height || 1080;
  refuseIf(
    !SUPPORTED_VIDEO_SIZES.some(([w, h]) => w === width && h === height),
    `video_config ${width}x${height}: avatarforge renders ${SUPPORTED_VIDEO_SIZES.map(([w, h]) => `${w}x${h}`).join(' or ')}`,
  );
  const voice = request.voice_config;
  refuseIf(voice?.speed !== undefined && voice.speed !== 0 && voice.speed < 50, `voice_config.speed ${voice?.speed}: 50 to 200`, 'INVALID_PARAMETER');
  refuseIf(voice?.volume !== undefined && voice.volume !== 0 && voice.volume < 90, `voice_config.volume ${voice?.volume}: 90 to 240`, 'INVALID_PARAMETER');
  refuseIf(voice?.pitch !== undefined && voice.pitch !== 0 && voice.pitch < 50, `voice_config.pitch ${voice?.pitch}: 50 to 200`, 'INVALID_PARAMETER');
  const voiceAssetId = voice?.voice_asset_id ?? '';
  refuseIf(
    voiceAssetId !== '' && findVoice(voiceAssetId) === undefined,
    `voice_config.voice_asset_id ${JSON.stringify(voiceAssetId.slice(0, 64))}: not a voice of this service; GET /v1/{project_id}/voices lists them, "" lets the model's own voice speak`,
    'INVALID_PARAMETER',
  );
  refuseIf(video.bitrate !== undefined && video.bitrate !== 0 && video.bitrate < 40, `video_config.bitrate ${video.bitrate}: 40 to 30000 kbit/s`, 'INVALID_PARAMETER');
  refuseIf(request.background_music_config !== undefined, 'background_music_config: avatarforge does not mix background music');
  refuseIf(request.callback_config !== undefined, 'callback_config: avatarforge does not call back; poll Show2DDigitalHumanVideo');
  refuseIf(request.action_config !== undefined, 'action_config: avatarforge does not insert actions');

  const sequenceNumbers = new Set<number>();
  const scripts: PlannedVideoJob['plan']['scripts'] = [];
  const items = [...request.shoot_scripts].map((item, index) => ({ item, sequenceNo: item.sequence_no ?? index }));
  items.sort((a, b) => a.sequenceNo - b.sequenceNo);
  for (const { item, sequenceNo } of items) {
    const where = `shoot_scripts[sequence_no=${sequenceNo}]`;
    refuseIf(sequenceNumbers.has(sequenceNo), `${where}: two scripts have the same sequence_no`, 'INVALID_PARAMETER');
    sequenceNumbers.add(sequenceNo);
    const script = item.shoot_script;
    if (!script) throw new ApiError('INVALID_PARAMETER', `${where}.shoot_script is required`);
    refuseIf(item.subtitle_file_info !== undefined, `${where}.subtitle_file_info: avatarforge does not burn in subtitles`);
    refuseIf((script.background_config ?? []).length > 0, `${where}.shoot_script.background_config: avatarforge renders the model's own background`);
    refuseIf((script.layer_config ?? []).length > 0, `${where}.shoot_script.layer_config: avatarforge does not add layers`);
    refuseIf((script.audio_drive_action_config ?? []).length > 0, `${where}.shoot_script.audio_drive_action_config: avatarforge does not insert actions`);
    if (script.script_type === 'TEXT') {
      const text = script.text_config?.text?.trim() ?? '';
      if (text === '') throw new ApiError('INVALID_PARAMETER', `${where}: a TEXT script needs shoot_script.text_config.text`);
      if (text.includes('<speak')) throw new ApiError('VIDEO_SETTING_UNSUPPORTED', `${where}: SSML tags are not supported by the offline voice; send plain text`);
      const unspeakable = unspeakableReason(text);
      if (unspeakable) throw new ApiError('INVALID_PARAMETER', `${where}: ${unspeakable}`);
      if ([...text].length > MAX_SCRIPT_TEXT_CHARACTERS) {
        throw new ApiError('INVALID_PARAMETER', `${where}: the text has ${[...text].length} characters; at most ${MAX_SCRIPT_TEXT_CHARACTERS}`);
      }
      scripts.push({ sequence_no: sequenceNo, text, language: languageOf(text) });
    } else if (script.script_type === 'AUDIO') {
      const url = script.audio_drive_file_external_url?.trim() ?? '';
      if (url === '') {
        throw new ApiError('INVALID_PARAMETER', `${where}: an AUDIO script needs shoot_script.audio_drive_file_external_url (upload the audio to POST /v1/{project_id}/2d-digital-human-videos/audio-files first)`);
      }
      scripts.push({ sequence_no: sequenceNo, audioUrl: url });
    } else {
      throw new ApiError('INVALID_PARAMETER', `${where}: shoot_script.script_type must be TEXT or AUDIO`);
    }
  }
  return {
    shootScripts: items.map(({ item, sequenceNo }) => ({ ...item, sequence_no: sequenceNo })),
    plan: {
      scripts,
      width,
      height,
      ...(video.bitrate ? { bitrate_kbps: video.bitrate } : {}),
      speed: request.voice_config?.speed || 100,
      volume: request.voice_config?.volume || 140,
      ...(voice?.pitch ? { pitch: voice.pitch } : {}),
      ...(voiceAssetId !== '' ? { voice: voiceAssetId } : {}),
    },
  };
}

/**
 * Why a TEXT script's text cannot be said as it is, or undefined. Half of a surrogate pair is not a
 * character; the voice stops at a control character and drops what follows; text without a letter or
 * digit says nothing.
 */
export function unspeakableReason(text: string): string | undefined {
  const lone = /[\uD800-\uDFFF]/u.exec(text);
  if (lone) return `the text is not valid Unicode: half of a surrogate pair (U+${codePoint(lone[0])}) at character ${lone.index + 1}`;
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u.exec(text);
  if (control) return `the text holds the control character U+${codePoint(control[0])} at character ${control.index + 1}; remove it`;
  if (!/[\p{L}\p{N}]/u.test(text)) return 'the text has nothing to say: not one letter or digit';
  return undefined;
}

function codePoint(character: string): string {
  return character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

function refuseIf(condition: boolean, detail: string, error: 'VIDEO_SETTING_UNSUPPORTED' | 'INVALID_PARAMETER' = 'VIDEO_SETTING_UNSUPPORTED'): void {
  if (condition) throw new ApiError(error, detail);
}
