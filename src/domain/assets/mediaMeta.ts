import type { Static } from '@sinclair/typebox';
import { withoutUndefined } from '../wireFields.js';
import type { AssetExtraMeta, AssetType, AudioAssetMeta, ImageAssetMeta, VideoAssetMeta } from './assetWire.js';

/** What a media reader (ffprobe) found in a file; a field it did not find is absent. */
export interface MediaFacts {
  /** The container's duration, else the first stream's. */
  durationSeconds?: number;
  /** The first video (or image) stream. */
  video?: {
    codec: string;
    width: number;
    height: number;
    /** Frames per second as a fraction ("30000/1001"), the stream's average. */
    frameRate?: { numerator: number; denominator: number };
    /** Frames in the stream, when the container says (an animated GIF has more than one). */
    frameCount?: number;
    bitRate?: number;
    /** Degrees the player turns the picture (a phone's portrait video: 90 or -90). */
    rotation?: number;
  };
  /** The first audio stream. */
  audio?: { codec: string; bitRate?: number; channels?: number; sampleRate?: number };
}

/** How a media file is read: as an image, as sound, or as a video. */
export type MediaKind = 'IMAGE' | 'AUDIO' | 'VIDEO';

/**
 * Reads a stored blob as media of a kind, within a bounded time. Undefined when it cannot be read
 * as such (not media, another format, a reader that failed or ran out of time): never throws for
 * what a file holds.
 */
export interface MediaProbe {
  probe(blobKey: string, kind: MediaKind): Promise<MediaFacts | undefined>;
}

/** The asset types whose MAIN file's media metadata is read, and as what (MUSIC as audio, as the API's audio_meta presumably covers it). */
export const MEDIA_KIND_OF_ASSET: Partial<Record<AssetType, MediaKind>> = { IMAGE: 'IMAGE', AUDIO: 'AUDIO', MUSIC: 'AUDIO', VIDEO: 'VIDEO' };

const INT32_MAX = 2_147_483_647;

/** A whole number the SDKs read as int32 (they fail on a fraction), or undefined. */
function int32(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const rounded = Math.round(value);
  return rounded >= 0 && rounded <= INT32_MAX ? rounded : undefined;
}

const kbps = (bitsPerSecond: number | undefined) => int32(bitsPerSecond === undefined ? undefined : bitsPerSecond / 1000);

/** "25" for 25/1, "29.97" for 30000/1001: a string, as the API types frame_rate. */
function frameRateText(rate: { numerator: number; denominator: number } | undefined): string | undefined {
  if (!rate || rate.numerator <= 0 || rate.denominator <= 0) return undefined;
  const perSecond = rate.numerator / rate.denominator;
  return Number.isInteger(perSecond) ? String(perSecond) : String(Number(perSecond.toFixed(2)));
}

/** Width and height as a player shows them: a picture turned a quarter has them swapped. */
function displayed(video: NonNullable<MediaFacts['video']>): { width: number; height: number } {
  const quarterTurn = Math.abs(Math.round(video.rotation ?? 0)) % 180 === 90;
  return quarterTurn ? { width: video.height, height: video.width } : { width: video.width, height: video.height };
}

const modeOf = (size: { width: number; height: number }) => (size.width >= size.height ? 'Horizontal' : 'Vertical');

/**
 * The asset_extra_meta entry of a MAIN file read as `kind`: image_meta, audio_meta or video_meta,
 * with the API's field names and integer types. Empty when the file has no stream of that kind.
 * `sizeBytes` is the size of the bytes that arrived (image_meta.size).
 */
export function mediaMetaOf(kind: MediaKind, facts: MediaFacts, sizeBytes: number): AssetExtraMeta {
  const { video, audio } = facts;
  const duration = int32(facts.durationSeconds);
  if (kind === 'IMAGE') {
    if (!video) return {};
    const size = displayed(video);
    const animated = (video.frameCount ?? 1) > 1;
    const image: Static<typeof ImageAssetMeta> = withoutUndefined({
      codec: video.codec.toUpperCase(),
      width: int32(size.width),
      height: int32(size.height),
      size: sizeBytes,
      mode: modeOf(size),
      frame_rate: animated ? frameRateText(video.frameRate) : undefined,
      duration: animated ? duration : undefined,
    });
    return { image_meta: image };
  }
  if (kind === 'AUDIO') {
    if (!audio) return {};
    const sound: Static<typeof AudioAssetMeta> = withoutUndefined({
      duration,
      audio_codec: audio.codec.toUpperCase(),
      audio_bit_rate: kbps(audio.bitRate),
      audio_channels: int32(audio.channels),
      sample: int32(audio.sampleRate),
    });
    return { audio_meta: sound };
  }
  if (!video) return {};
  const size = displayed(video);
  const film: Static<typeof VideoAssetMeta> = withoutUndefined({
    video_codec: video.codec.toUpperCase(),
    width: int32(size.width),
    height: int32(size.height),
    frame_rate: frameRateText(video.frameRate),
    video_bit_rate: kbps(video.bitRate),
    duration,
    audio_codec: audio?.codec.toUpperCase(),
    audio_bit_rate: kbps(audio?.bitRate),
    audio_channels: int32(audio?.channels),
    sample: int32(audio?.sampleRate),
    mode: modeOf(size),
  });
  return { video_meta: film };
}

/** The asset's extra meta with its media metadata replaced by `media` (none: removed); null when nothing is left. */
export function withMediaMeta(extraMeta: AssetExtraMeta | null, media: AssetExtraMeta): AssetExtraMeta | null {
  const { image_meta: _image, audio_meta: _audio, video_meta: _video, ...rest } = extraMeta ?? {};
  const merged = { ...rest, ...media };
  return Object.keys(merged).length === 0 ? null : merged;
}
