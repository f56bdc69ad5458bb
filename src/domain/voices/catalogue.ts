/**
 * The voices that say TEXT scripts (docs/voices.md): the reference trainer's neural voices
 * (Kokoro-82M: American and British English, Mandarin) and the espeak-ng fallback. The trainer's
 * `voices` command lists the same set; test/domain/voices.test.ts holds the two together.
 */

export type VoiceLanguage = 'en-us' | 'en-gb' | 'zh';
export type ScriptLanguage = 'en' | 'zh';

export interface Voice {
  /** What `voice_config.voice_asset_id` names to choose this voice. */
  voice_asset_id: string;
  language: VoiceLanguage;
  gender: 'female' | 'male';
  engine: 'kokoro' | 'espeak-ng';
  /** The script languages this voice speaks when `voice_asset_id` is "" (or not sent). */
  default_for: ScriptLanguage[];
}

export const DEFAULT_VOICES: Record<ScriptLanguage, string> = { en: 'af_heart', zh: 'zf_xiaoxiao' };

/** Text with Chinese characters is Mandarin (its default voice is Mandarin), other text English. */
export function languageOf(text: string): ScriptLanguage {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}

const NEURAL_VOICE_NAMES = [
  'af_alloy', 'af_aoede', 'af_bella', 'af_heart', 'af_jessica', 'af_kore', 'af_nicole', 'af_nova', 'af_river',
  'af_sarah', 'af_sky', 'am_adam', 'am_echo', 'am_eric', 'am_fenrir', 'am_liam', 'am_michael', 'am_onyx',
  'am_puck', 'am_santa', 'bf_alice', 'bf_emma', 'bf_isabella', 'bf_lily', 'bm_daniel', 'bm_fable',
  'bm_george', 'bm_lewis', 'zf_xiaobei', 'zf_xiaoni', 'zf_xiaoxiao', 'zf_xiaoyi', 'zm_yunjian', 'zm_yunxi',
  'zm_yunxia', 'zm_yunyang',
] as const;

const LANGUAGE_BY_PREFIX: Record<string, VoiceLanguage> = { a: 'en-us', b: 'en-gb', z: 'zh' };

function defaultsOf(name: string): ScriptLanguage[] {
  return (Object.keys(DEFAULT_VOICES) as ScriptLanguage[]).filter((language) => DEFAULT_VOICES[language] === name);
}

/** Every voice on offer, the neural ones first. */
export const VOICES: readonly Voice[] = [
  ...NEURAL_VOICE_NAMES.map((name): Voice => ({
    voice_asset_id: name,
    language: LANGUAGE_BY_PREFIX[name[0]!]!,
    gender: name[1] === 'f' ? 'female' : 'male',
    engine: 'kokoro',
    default_for: defaultsOf(name),
  })),
  { voice_asset_id: 'espeak:en', language: 'en-us', gender: 'male', engine: 'espeak-ng', default_for: [] },
  { voice_asset_id: 'espeak:zh', language: 'zh', gender: 'male', engine: 'espeak-ng', default_for: [] },
];

const BY_ID = new Map(VOICES.map((voice) => [voice.voice_asset_id, voice]));

export function findVoice(voiceAssetId: string): Voice | undefined {
  return BY_ID.get(voiceAssetId);
}
