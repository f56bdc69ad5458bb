import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../domain/errors.js';
import type { BlobStore } from '../domain/ports.js';
import type { AudioIntake } from '../domain/videoJob.js';
import { checkExternalUrl, ExternalFetchFailed, ExternalUrlRefused, fetchToFile } from '../net/guardedFetch.js';
import { MediaToolError, measuredSeconds, probeMedia, type MediaTools } from './mediaTools.js';
import { makeWorkDir } from './workDirs.js';

/**
 * Brings an AUDIO script's audio into the store: from a blob this server holds, or fetched from an
 * allowed host (net/guardedFetch.ts); decoded on the way, so that only audio ffmpeg can read is
 * stored, and its length is the decoded sound's (up to just past `maxSeconds`), not its header's. The
 * domain decides what may be used (its project's files, the duration limits).
 */
export function createAudioIntake(deps: {
  blobs: BlobStore;
  /** Located when first needed: a server without ffprobe still starts. */
  tools: () => MediaTools;
  allowedHosts: readonly string[];
  maxBytes: number;
  /** The longest audio a script may have: decoding stops a second past it. */
  maxSeconds: number;
  fetchTimeoutMs: number;
}): AudioIntake {
  const { blobs } = deps;

  function refused(error: unknown, where: string): never {
    if (error instanceof ExternalUrlRefused) throw new ApiError('AUDIO_URL_REFUSED', `${where}: ${error.message}`);
    if (error instanceof ExternalFetchFailed) throw new ApiError('AUDIO_FETCH_FAILED', `${where}: ${error.message}`);
    throw error;
  }

  return {
    checkUrl(url, where) {
      try {
        checkExternalUrl(url, deps.allowedHosts);
      } catch (error) {
        refused(error, where);
      }
    },

    async store(source, targetKey, where) {
      const scratch = await makeWorkDir('audio');
      try {
        const local = path.join(scratch, 'audio');
        if ('blobKey' in source) {
          const opened = await blobs.read(source.blobKey);
          if (!opened) throw new ApiError('AUDIO_INVALID', `${where}: the audio file's bytes are gone`);
          if (opened.size > deps.maxBytes) {
            opened.stream.destroy();
            throw new ApiError('AUDIO_INVALID', `${where}: the audio file has ${opened.size} bytes; at most ${deps.maxBytes}`);
          }
          await pipeline(opened.stream, fs.createWriteStream(local));
        } else {
          await fetchToFile(source.url, local, { allowedHosts: deps.allowedHosts, maxBytes: deps.maxBytes, timeoutMs: deps.fetchTimeoutMs }).catch((error: unknown) => refused(error, where));
        }
        const measured = await audioDuration(deps.tools(), local, deps.maxSeconds);
        if (!measured) throw new ApiError('AUDIO_INVALID', `${where}: the file holds no audio that ffmpeg can read`);
        const blob = await blobs.put(targetKey, fs.createReadStream(local), deps.maxBytes);
        return { size: blob.size, md5: blob.md5, ...measured };
      } finally {
        await fsp.rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** The decoded length of the file's audio, and what its header claims; undefined without readable audio. */
async function audioDuration(tools: MediaTools, file: string, maxSeconds: number): Promise<{ durationSeconds: number; claimedSeconds?: number } | undefined> {
  let claimedSeconds: number | undefined;
  try {
    const probed = await probeMedia(tools, file);
    if (!probed.hasAudio) return undefined;
    claimedSeconds = probed.durationSeconds;
  } catch (error) {
    if (error instanceof MediaToolError) return undefined;
    throw error;
  }
  const durationSeconds = await measuredSeconds(tools, file, 'audio', maxSeconds);
  return durationSeconds === undefined ? undefined : { durationSeconds, ...(claimedSeconds !== undefined && { claimedSeconds }) };
}
