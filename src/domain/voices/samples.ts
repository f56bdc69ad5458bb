import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../errors.js';
import { runTool } from '../../pipeline/mediaTools.js';
import { findVoice, type VoiceLanguage } from './catalogue.js';

/** What each voice says as its sample, in the language it was made for. */
export const SAMPLE_TEXTS: Record<VoiceLanguage, string> = {
  'en-us': 'Hello! This is how I sound when I read your scripts aloud.',
  'en-gb': 'Hello! This is how I sound when I read your scripts aloud.',
  zh: '你好！这是我朗读文稿时的声音。',
};

const SAMPLE_TIMEOUT_MS = 120_000;

/**
 * Spoken samples of the voices (a WAV each): made the first time one is asked for, by the reference
 * trainer's `say`, and kept in `directory` (they are the same every time). Two requests for a sample
 * being made wait for the same work.
 */
export class VoiceSamples {
  private readonly making = new Map<string, Promise<string>>();

  constructor(
    private readonly trainer: string,
    private readonly directory: string,
  ) {}

  /**
   * The sample's file; VOICE_NOT_FOUND for a voice not in the catalogue. When the sample cannot be
   * made, `onFailure` hears the trainer's reason (for the log of the request) and the caller gets a
   * plain VOICE_SAMPLE_FAILED.
   */
  async sample(voiceAssetId: string, onFailure: (error: Error) => void): Promise<string> {
    const voice = findVoice(voiceAssetId);
    if (!voice) throw new ApiError('VOICE_NOT_FOUND', `there is no voice ${JSON.stringify(voiceAssetId.slice(0, 64))}; GET /v1/{project_id}/voices lists them`);
    const file = path.join(this.directory, `${voice.voice_asset_id.replace(':', '-')}.wav`);
    if (fs.existsSync(file)) return file;
    let made = this.making.get(file);
    if (!made) {
      made = this.make(voice.voice_asset_id, SAMPLE_TEXTS[voice.language], file).finally(() => this.making.delete(file));
      this.making.set(file, made);
    }
    try {
      return await made;
    } catch (error) {
      onFailure(error as Error);
      throw new ApiError('VOICE_SAMPLE_FAILED', `the voice ${voice.voice_asset_id} could not speak its sample; the server's log has the reason under this request's id`);
    }
  }

  private async make(voiceAssetId: string, text: string, file: string): Promise<string> {
    await fs.promises.mkdir(this.directory, { recursive: true });
    await runTool(this.trainer, ['say', '--voice', voiceAssetId, '--text', text, '-o', file], { timeoutMs: SAMPLE_TIMEOUT_MS });
    return file;
  }
}
