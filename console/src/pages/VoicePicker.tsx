import { useEffect, useRef, useState } from 'preact/hooks';
import { DEFAULT_VOICES, languageOf } from '../../../src/domain/voices/catalogue.js';
import { listVoices, voiceSample, type Voice } from '../api/voiceApi.js';
import { ErrorNotice } from '../components/Notice.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.js';

const LANGUAGES: Array<[Voice['language'], MessageKey]> = [
  ['en-us', 'voices.en-us'],
  ['en-gb', 'voices.en-gb'],
  ['zh', 'voices.zh'],
];

/**
 * The voice that says a TEXT script: "" is the model's own voice for each text's language (the stock
 * voice nearest to the person; the language's default voice for models without one), else a voice
 * of GET /v1/{project_id}/voices, grouped by language. "Listen" plays the chosen voice's sample (the
 * voice that would say the typed text when none is chosen).
 */
export function VoicePicker({ value, onChange, text, modelVoices }: { value: string; onChange: (voice: string) => void; text: string; modelVoices?: { en?: string; zh?: string } }) {
  const { t } = useI18n();
  const [voices, setVoices] = useState<Voice[]>([]);
  const [error, setError] = useState<unknown>();
  const [playing, setPlaying] = useState(false);
  const audio = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    listVoices().then(setVoices, setError);
  }, []);

  const language = languageOf(text);
  const heard = value || modelVoices?.[language] || DEFAULT_VOICES[language];
  const listen = async () => {
    if (!audio.current) return;
    setError(undefined);
    setPlaying(true);
    try {
      const sample = await voiceSample(heard);
      const previous = audio.current.src;
      audio.current.src = URL.createObjectURL(sample);
      if (previous.startsWith('blob:')) URL.revokeObjectURL(previous);
      await audio.current.play();
    } catch (failure) {
      setError(failure);
    } finally {
      setPlaying(false);
    }
  };

  return (
    <div>
      <label class="field-label" for="video-voice">
        {t('voices.voice')}
      </label>
      <div class="voice-picker">
        <select id="video-voice" value={value} onChange={(event) => onChange(event.currentTarget.value)}>
          <option value="">{t('voices.default')}</option>
          {LANGUAGES.map(([language, label]) => (
            <optgroup key={language} label={t(label)}>
              {voices
                .filter((voice) => voice.language === language)
                .map((voice) => (
                  <option key={voice.voice_asset_id} value={voice.voice_asset_id}>
                    {`${voice.voice_asset_id} · ${t(voice.gender === 'female' ? 'voices.female' : 'voices.male')}${voice.engine === 'espeak-ng' ? ` · ${t('voices.espeak')}` : ''}`}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        <button type="button" onClick={() => void listen()} disabled={playing}>
          {playing ? t('voices.loading') : t('voices.listen')}
        </button>
        <audio ref={audio} aria-label={t('voices.sample')} />
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}
