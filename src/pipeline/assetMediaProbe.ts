import type { MediaFacts, MediaKind, MediaProbe } from '../domain/assets/mediaMeta.js';
import type { BlobStore } from '../domain/ports.js';
import { runTool, type MediaTools } from './mediaTools.js';

/**
 * The demuxers ffprobe may use for each kind: those of the formats the API allows for the asset
 * type's MAIN file. Anything else (an HLS or DASH playlist, an ffconcat script: formats that make
 * ffprobe open further files or URLs named inside the upload) is refused unread.
 */
const FORMATS: Record<MediaKind, string> = {
  // jpeg, jpg, png, bmp, gif (the blob has no extension: recognised by content, as *_pipe).
  IMAGE: 'jpeg_pipe,png_pipe,bmp_pipe,gif',
  // wav, mp3, m4a.
  AUDIO: 'wav,mp3,mov',
  // mp4, m4v, mov, 3gp (mov); mkv, webm (matroska); flv; wmv (asf); avi.
  VIDEO: 'mov,matroska,flv,asf,avi',
};

/** How long the presigned URL ffprobe reads an object-store blob through stays valid. */
const OBJECT_URL_TTL_MS = 10 * 60 * 1000;

interface ProbedStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  bit_rate?: string;
  channels?: number;
  sample_rate?: string;
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}

const numberOf = (text: string | number | undefined): number | undefined => {
  const value = Number(text);
  return text === undefined || text === '' || !Number.isFinite(value) ? undefined : value;
};

function fraction(text: string | undefined): { numerator: number; denominator: number } | undefined {
  const [numerator, denominator] = (text ?? '').split('/').map(Number);
  return numerator !== undefined && denominator !== undefined && numerator > 0 && denominator > 0 ? { numerator, denominator } : undefined;
}

/** ffprobe's JSON, as the facts the domain maps to the API's metadata. */
export function mediaFactsOf(probed: { format?: { duration?: string }; streams?: ProbedStream[] }): MediaFacts {
  const streams = probed.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video' && stream.width && stream.height);
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const durationSeconds = numberOf(probed.format?.duration) ?? numberOf(video?.duration) ?? numberOf(audio?.duration);
  const rotation = numberOf(video?.side_data_list?.find((data) => data.rotation !== undefined)?.rotation) ?? numberOf(video?.tags?.rotate);
  const facts: MediaFacts = {};
  if (durationSeconds !== undefined) facts.durationSeconds = durationSeconds;
  if (video) {
    facts.video = { codec: video.codec_name ?? '', width: video.width!, height: video.height! };
    const frameRate = fraction(video.avg_frame_rate) ?? fraction(video.r_frame_rate);
    if (frameRate) facts.video.frameRate = frameRate;
    const frameCount = numberOf(video.nb_frames);
    if (frameCount !== undefined) facts.video.frameCount = frameCount;
    const bitRate = numberOf(video.bit_rate);
    if (bitRate !== undefined) facts.video.bitRate = bitRate;
    if (rotation !== undefined) facts.video.rotation = rotation;
  }
  if (audio) {
    facts.audio = { codec: audio.codec_name ?? '' };
    const bitRate = numberOf(audio.bit_rate);
    if (bitRate !== undefined) facts.audio.bitRate = bitRate;
    if (audio.channels !== undefined) facts.audio.channels = audio.channels;
    const sampleRate = numberOf(audio.sample_rate);
    if (sampleRate !== undefined) facts.audio.sampleRate = sampleRate;
  }
  return facts;
}

/**
 * Reads stored blobs with ffprobe, in place: the file of a blob on local disk, or an object-store
 * blob through a short-lived presigned URL (ffprobe reads the header ranges it needs, not the whole
 * object). Bounded by `timeoutMs`; whatever goes wrong (ffprobe missing, the file unreadable,
 * refused or too slow) is "no facts", never an error.
 */
export function createAssetMediaProbe(deps: { blobs: BlobStore; tools: () => MediaTools; timeoutMs: number }): MediaProbe {
  const { blobs } = deps;

  function input(blobKey: string): { target: string; protocols: string } | undefined {
    if (blobs.localFile) return { target: `file:${blobs.localFile(blobKey)}`, protocols: 'file' };
    // The object store checks the signature against its own clock: real time, not the emulator's.
    if (blobs.direct) return { target: blobs.direct.presignGet(blobKey, Date.now(), Date.now() + OBJECT_URL_TTL_MS), protocols: 'http,https,tcp,tls' };
    return undefined;
  }

  return {
    async probe(blobKey, kind) {
      const source = input(blobKey);
      if (!source) return undefined;
      try {
        const output = await runTool(
          deps.tools().ffprobePath,
          ['-v', 'error', '-protocol_whitelist', source.protocols, '-format_whitelist', FORMATS[kind], '-print_format', 'json', '-show_format', '-show_streams', source.target],
          { timeoutMs: deps.timeoutMs },
        );
        return mediaFactsOf(JSON.parse(output) as Parameters<typeof mediaFactsOf>[0]);
      } catch {
        return undefined;
      }
    },
  };
}
