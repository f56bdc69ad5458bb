import type { Voice } from '../../../src/domain/voices/catalogue.js';
import { callApiForBlob, ApiFailure } from './http.js';
import { callWithSession, currentSession } from './session.js';

export type { Voice };

const voicesPath = () => `/v1/${encodeURIComponent(currentSession()?.projectId ?? '-')}/voices`;

export async function listVoices(): Promise<Voice[]> {
  return (await callWithSession<{ count: number; voices: Voice[] }>(voicesPath())).body!.voices;
}

/** A few seconds of the voice speaking (a WAV the server makes once and keeps). */
export async function voiceSample(voiceAssetId: string): Promise<Blob> {
  const session = currentSession();
  if (!session) throw new ApiFailure(401, 'CONSOLE.SIGNED_OUT', 'signed out');
  return callApiForBlob(`${voicesPath()}/${encodeURIComponent(voiceAssetId)}/sample`, session.token);
}
