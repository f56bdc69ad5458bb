import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGE_NAMES, type StageName } from './domain/pipelineStages.js';
import { TRAINER_STAGES, type TrainerStage } from './domain/trainerStages.js';
import { checkExternalUrl } from './net/guardedFetch.js';

/** The reference trainer of this installation (set up by `npm run build`: trainer/setup.sh). */
const REFERENCE_TRAINER = fileURLToPath(new URL('../../trainer/bin/avatarforge-trainer', import.meta.url));

/**
 * The server's whole configuration: one typed object, read once from command-line flags,
 * AVATARFORGE_* environment variables and defaults (in that order of precedence), and validated
 * before anything starts.
 */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection URL (postgres://user:password@host:port/database); unset: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** Most connections this process opens to PostgreSQL. */
  databasePoolSize: number;
  /** An S3-compatible object store for the bytes; unset: local disk in the data dir. */
  s3: S3Settings | undefined;
  /** Base of every signed upload and download URL the API hands out. */
  publicUrl: string;
  /** Whether publicUrl was given (AVATARFORGE_PUBLIC_URL, --public-url) rather than made from host and port. */
  publicUrlGiven: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** A file the log is appended to instead of going to stdout. */
  logFile: string | undefined;
  /** 32-byte key (hex or base64) that encrypts secret keys at rest; generated into the data dir when absent. */
  masterKey: string | undefined;
  /** A credential to provision at start (idempotent), for tests and CI. */
  provisionedCredential: { projectId: string; accessKey: string; secretKey: string } | undefined;
  /** Largest accepted clock difference for AK/SK-signed requests (the cloud gateway uses 15 minutes). */
  signatureMaxSkewSeconds: number;
  /** Lifetime of tokens issued by POST /v3/auth/tokens (IAM: 24 hours). */
  tokenTtlSeconds: number;
  /** Lifetime of upload URLs and of the download URLs in Show (the API documents 24 hours). */
  uploadUrlTtlSeconds: number;
  downloadUrlTtlSeconds: number;
  /** Largest accepted upload, per file or per training-video part. */
  maxUploadBytes: number;
  /** Largest JSON body on the API routes. */
  maxJsonBodyBytes: number;
  /** Memory for Show and List answers kept for repeated reads while the database is unchanged (SQLite only); 0 turns it off. */
  readCacheMegabytes: number;
  /** Whether SUBMITVERIFYING requires the ID card images and the authorization letter (non-NA tenants). */
  requireIdentityFiles: boolean;
  /** Include the canonical request in signature-mismatch messages (a help for people writing a signer). */
  debugSignatures: boolean;
  /** Run the pipeline's workers inside the server process. */
  workers: boolean;
  /** An admin confirms each compiled model (WAIT_ADMIN_CONFIRM) before it is synced. */
  adminConfirmGate: boolean;
  /** Users accept or reject each result (WAIT_USER_CONFIRM), as the cloud's NA tenants do. */
  userConfirmGate: boolean;
  /** Stage items the in-process runner works on at once. */
  workerConcurrency: number;
  /** The stages the in-process runner handles; the others wait for external workers. */
  workerStages: StageName[];
  /** A lease not renewed within this time is lost; the runner renews at a third of it. */
  heartbeatTimeoutSeconds: number;
  /** A lease ends after this time whatever the heartbeats. */
  leaseMaxSeconds: number;
  /** Accepted training-video length in automatic review. */
  videoMinSeconds: number;
  videoMaxSeconds: number;
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
  fontFile: string | undefined;
  /** A trainer to run for the stages of `trainerStages`: `<command> <input dir> <output dir>`. */
  trainerCommand: string | undefined;
  /** The stages the trainer command replaces the reference trainer in. */
  trainerStages: TrainerStage[];
  /** The reference trainer's command (trainer/bin/avatarforge-trainer of this installation by default). */
  referenceTrainer: string;
  /** The test-video check fails below this correlation of rendered and real mouth opening. */
  testVideoMinCorrelation: number;
  /** Unpacked models `render --job` keeps in `<data dir>/render-cache` for the next render (least recently used evicted). */
  renderCacheModels: number;
  /** Slow clients: a non-upload body must arrive within bodyTimeoutSeconds; an upload may not stall for uploadIdleTimeoutSeconds; connections per address. */
  bodyTimeoutSeconds: number;
  uploadIdleTimeoutSeconds: number;
  /** A download from a signed URL may be slow but may not stall for this long. */
  downloadIdleTimeoutSeconds: number;
  maxConnectionsPerAddress: number;
  /** Failed authentications allowed per access key and address, and per address, within the window, before they are refused (429). */
  authFailureLimit: number;
  authFailureAddressLimit: number;
  authFailureWindowSeconds: number;
  /** Hosts (host or host:port) whose audio URLs video jobs may fetch; none: only this server's audio files. */
  audioUrlHosts: string[];
  /** Limits on one AUDIO script's audio. */
  audioMaxBytes: number;
  audioMaxSeconds: number;
  audioFetchTimeoutSeconds: number;
  /** Limits on one video job (its TEXT scripts' characters, its AUDIO scripts' seconds) and on a project's unfinished video jobs. */
  videoMaxTextCharacters: number;
  videoMaxAudioSeconds: number;
  videoMaxUnfinishedJobs: number;
  videoMaxStoredAudioBytes: number;
  /** The longest a live session (smart chat job) lasts: one not stopped by then ends by itself and frees its room's concurrency. */
  liveMaxSessionSeconds: number;
  /** host:port of GET /metrics (Prometheus), unauthenticated; absent: no metrics listener. */
  metricsAddress: string | undefined;
  /** Developer control of the pipeline and a virtual clock under /v1/emulator (docs/emulator.md); off by default. */
  emulator: boolean;
  /** Emulator settings to load at start (JSON, the body of PUT /v1/emulator/settings). */
  emulatorScenarioFile: string | undefined;
}

export interface S3Settings {
  /** The store's URL as this process reaches it, e.g. http://127.0.0.1:9000. */
  endpoint: string;
  /** The store's URL as clients reach it, the base of presigned URLs (default: the endpoint). */
  publicEndpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** http://host/bucket/key (MinIO, Ceph) rather than http://bucket.host/key (AWS, OBS). */
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

export type ConfigFlags = Partial<Record<keyof typeof SETTINGS, string | undefined>>;

/** Every setting: its environment variable and its default (as text, parsed like user input). */
const SETTINGS = {
  host: { env: 'AVATARFORGE_HOST', default: '127.0.0.1' },
  port: { env: 'AVATARFORGE_PORT', default: '8080' },
  dataDir: { env: 'AVATARFORGE_DATA_DIR', default: './data' },
  databaseUrl: { env: 'AVATARFORGE_DATABASE_URL', default: undefined },
  databasePoolSize: { env: 'AVATARFORGE_DATABASE_POOL_SIZE', default: '10' },
  s3Endpoint: { env: 'AVATARFORGE_S3_ENDPOINT', default: undefined },
  s3PublicEndpoint: { env: 'AVATARFORGE_S3_PUBLIC_ENDPOINT', default: undefined },
  s3Bucket: { env: 'AVATARFORGE_S3_BUCKET', default: 'avatarforge' },
  s3Region: { env: 'AVATARFORGE_S3_REGION', default: 'us-east-1' },
  s3AccessKeyId: { env: 'AVATARFORGE_S3_ACCESS_KEY_ID', default: undefined },
  s3SecretAccessKey: { env: 'AVATARFORGE_S3_SECRET_ACCESS_KEY', default: undefined },
  s3ForcePathStyle: { env: 'AVATARFORGE_S3_FORCE_PATH_STYLE', default: 'true' },
  publicUrl: { env: 'AVATARFORGE_PUBLIC_URL', default: undefined },
  logLevel: { env: 'AVATARFORGE_LOG_LEVEL', default: 'info' },
  logFile: { env: 'AVATARFORGE_LOG_FILE', default: undefined },
  masterKey: { env: 'AVATARFORGE_MASTER_KEY', default: undefined },
  projectId: { env: 'AVATARFORGE_PROJECT_ID', default: undefined },
  accessKey: { env: 'AVATARFORGE_ACCESS_KEY', default: undefined },
  secretKey: { env: 'AVATARFORGE_SECRET_KEY', default: undefined },
  signatureMaxSkewSeconds: { env: 'AVATARFORGE_SIGNATURE_MAX_SKEW_SECONDS', default: '900' },
  tokenTtlSeconds: { env: 'AVATARFORGE_TOKEN_TTL_SECONDS', default: '86400' },
  uploadUrlTtlSeconds: { env: 'AVATARFORGE_UPLOAD_URL_TTL_SECONDS', default: '86400' },
  downloadUrlTtlSeconds: { env: 'AVATARFORGE_DOWNLOAD_URL_TTL_SECONDS', default: '86400' },
  maxUploadBytes: { env: 'AVATARFORGE_MAX_UPLOAD_BYTES', default: String(5 * 1024 ** 3) },
  maxJsonBodyBytes: { env: 'AVATARFORGE_MAX_JSON_BODY_BYTES', default: String(1024 ** 2) },
  readCacheMegabytes: { env: 'AVATARFORGE_READ_CACHE_MB', default: '64' },
  requireIdentityFiles: { env: 'AVATARFORGE_REQUIRE_IDENTITY_FILES', default: 'true' },
  debugSignatures: { env: 'AVATARFORGE_DEBUG_SIGNATURES', default: 'false' },
  workers: { env: 'AVATARFORGE_WORKERS', default: 'true' },
  adminConfirmGate: { env: 'AVATARFORGE_ADMIN_CONFIRM_GATE', default: 'false' },
  userConfirmGate: { env: 'AVATARFORGE_USER_CONFIRM_GATE', default: 'false' },
  workerConcurrency: { env: 'AVATARFORGE_WORKER_CONCURRENCY', default: '2' },
  workerStages: { env: 'AVATARFORGE_WORKER_STAGES', default: STAGE_NAMES.join(',') },
  heartbeatTimeoutSeconds: { env: 'AVATARFORGE_HEARTBEAT_TIMEOUT_SECONDS', default: '30' },
  leaseMaxSeconds: { env: 'AVATARFORGE_LEASE_MAX_SECONDS', default: String(6 * 3600) },
  videoMinSeconds: { env: 'AVATARFORGE_VIDEO_MIN_SECONDS', default: '180' },
  videoMaxSeconds: { env: 'AVATARFORGE_VIDEO_MAX_SECONDS', default: '600' },
  ffmpegPath: { env: 'AVATARFORGE_FFMPEG_PATH', default: undefined },
  ffprobePath: { env: 'AVATARFORGE_FFPROBE_PATH', default: undefined },
  fontFile: { env: 'AVATARFORGE_FONT_FILE', default: undefined },
  trainerCommand: { env: 'AVATARFORGE_TRAINER_COMMAND', default: undefined },
  trainerStages: { env: 'AVATARFORGE_TRAINER_STAGES', default: 'training,compile' },
  referenceTrainer: { env: 'AVATARFORGE_REFERENCE_TRAINER', default: REFERENCE_TRAINER },
  testVideoMinCorrelation: { env: 'AVATARFORGE_TEST_VIDEO_MIN_CORRELATION', default: '0.7' },
  renderCacheModels: { env: 'AVATARFORGE_RENDER_CACHE_MODELS', default: '3' },
  bodyTimeoutSeconds: { env: 'AVATARFORGE_BODY_TIMEOUT_SECONDS', default: '60' },
  uploadIdleTimeoutSeconds: { env: 'AVATARFORGE_UPLOAD_IDLE_TIMEOUT_SECONDS', default: '60' },
  downloadIdleTimeoutSeconds: { env: 'AVATARFORGE_DOWNLOAD_IDLE_TIMEOUT_SECONDS', default: '120' },
  maxConnectionsPerAddress: { env: 'AVATARFORGE_MAX_CONNECTIONS_PER_ADDRESS', default: '256' },
  authFailureLimit: { env: 'AVATARFORGE_AUTH_FAILURE_LIMIT', default: '10' },
  authFailureAddressLimit: { env: 'AVATARFORGE_AUTH_FAILURE_ADDRESS_LIMIT', default: '50' },
  authFailureWindowSeconds: { env: 'AVATARFORGE_AUTH_FAILURE_WINDOW_SECONDS', default: '60' },
  audioUrlHosts: { env: 'AVATARFORGE_AUDIO_URL_HOSTS', default: '' },
  audioMaxBytes: { env: 'AVATARFORGE_AUDIO_MAX_BYTES', default: String(50 * 1024 ** 2) },
  audioMaxSeconds: { env: 'AVATARFORGE_AUDIO_MAX_SECONDS', default: '600' },
  audioFetchTimeoutSeconds: { env: 'AVATARFORGE_AUDIO_FETCH_TIMEOUT_SECONDS', default: '30' },
  videoMaxTextCharacters: { env: 'AVATARFORGE_VIDEO_MAX_TEXT_CHARACTERS', default: '20000' },
  videoMaxAudioSeconds: { env: 'AVATARFORGE_VIDEO_MAX_AUDIO_SECONDS', default: '1800' },
  videoMaxUnfinishedJobs: { env: 'AVATARFORGE_VIDEO_MAX_UNFINISHED_JOBS', default: '20' },
  videoMaxStoredAudioBytes: { env: 'AVATARFORGE_VIDEO_MAX_STORED_AUDIO_BYTES', default: String(1024 ** 3) },
  liveMaxSessionSeconds: { env: 'AVATARFORGE_LIVE_MAX_SESSION_SECONDS', default: '3600' },
  metricsAddress: { env: 'AVATARFORGE_METRICS_ADDRESS', default: undefined },
  emulator: { env: 'AVATARFORGE_EMULATOR', default: 'false' },
  emulatorScenarioFile: { env: 'AVATARFORGE_EMULATOR_SCENARIO', default: undefined },
} as const;

export const CONFIG_ENVIRONMENT_VARIABLES = Object.values(SETTINGS).map((setting) => setting.env);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = (name: keyof typeof SETTINGS): string | undefined => {
    const setting = SETTINGS[name];
    const fromEnv = env[setting.env];
    return flags[name] ?? (fromEnv === '' ? undefined : fromEnv) ?? setting.default;
  };
  const host = raw('host')!;
  const port = integerSetting('port', raw('port')!, 0, 65535);
  const publicUrl = (raw('publicUrl') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl)) {
    throw new ConfigError(`AVATARFORGE_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  }
  const logLevel = raw('logLevel')!;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`AVATARFORGE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  return {
    host,
    port,
    dataDir: path.resolve(raw('dataDir')!),
    databaseUrl: databaseUrl(raw('databaseUrl')),
    databasePoolSize: integerSetting('databasePoolSize', raw('databasePoolSize')!, 1, 1000),
    s3: s3Settings(raw),
    publicUrl,
    publicUrlGiven: raw('publicUrl') !== undefined,
    logLevel: logLevel as Config['logLevel'],
    logFile: optionalPath(raw('logFile')),
    masterKey: raw('masterKey'),
    provisionedCredential: provisionedCredential(raw('projectId'), raw('accessKey'), raw('secretKey')),
    signatureMaxSkewSeconds: integerSetting('signatureMaxSkewSeconds', raw('signatureMaxSkewSeconds')!, 1, 86400),
    tokenTtlSeconds: integerSetting('tokenTtlSeconds', raw('tokenTtlSeconds')!, 60, 7 * 86400),
    uploadUrlTtlSeconds: integerSetting('uploadUrlTtlSeconds', raw('uploadUrlTtlSeconds')!, 60, 7 * 86400),
    downloadUrlTtlSeconds: integerSetting('downloadUrlTtlSeconds', raw('downloadUrlTtlSeconds')!, 60, 7 * 86400),
    maxUploadBytes: integerSetting('maxUploadBytes', raw('maxUploadBytes')!, 1, Number.MAX_SAFE_INTEGER),
    maxJsonBodyBytes: integerSetting('maxJsonBodyBytes', raw('maxJsonBodyBytes')!, 1024, 64 * 1024 ** 2),
    readCacheMegabytes: integerSetting('readCacheMegabytes', raw('readCacheMegabytes')!, 0, 65_536),
    requireIdentityFiles: booleanSetting('requireIdentityFiles', raw('requireIdentityFiles')!),
    debugSignatures: booleanSetting('debugSignatures', raw('debugSignatures')!),
    workers: booleanSetting('workers', raw('workers')!),
    adminConfirmGate: booleanSetting('adminConfirmGate', raw('adminConfirmGate')!),
    userConfirmGate: booleanSetting('userConfirmGate', raw('userConfirmGate')!),
    workerConcurrency: integerSetting('workerConcurrency', raw('workerConcurrency')!, 1, 64),
    workerStages: stageListSetting('workerStages', raw('workerStages')!, STAGE_NAMES),
    heartbeatTimeoutSeconds: integerSetting('heartbeatTimeoutSeconds', raw('heartbeatTimeoutSeconds')!, 1, 3600),
    leaseMaxSeconds: integerSetting('leaseMaxSeconds', raw('leaseMaxSeconds')!, 10, 7 * 86400),
    ...videoRange(raw('videoMinSeconds')!, raw('videoMaxSeconds')!),
    ffmpegPath: raw('ffmpegPath'),
    ffprobePath: raw('ffprobePath'),
    fontFile: raw('fontFile'),
    trainerCommand: raw('trainerCommand'),
    trainerStages: stageListSetting('trainerStages', raw('trainerStages')!, TRAINER_STAGES),
    referenceTrainer: raw('referenceTrainer')!,
    testVideoMinCorrelation: fractionSetting('testVideoMinCorrelation', raw('testVideoMinCorrelation')!),
    renderCacheModels: integerSetting('renderCacheModels', raw('renderCacheModels')!, 1, 1000),
    bodyTimeoutSeconds: integerSetting('bodyTimeoutSeconds', raw('bodyTimeoutSeconds')!, 1, 3600),
    uploadIdleTimeoutSeconds: integerSetting('uploadIdleTimeoutSeconds', raw('uploadIdleTimeoutSeconds')!, 1, 3600),
    downloadIdleTimeoutSeconds: integerSetting('downloadIdleTimeoutSeconds', raw('downloadIdleTimeoutSeconds')!, 1, 3600),
    maxConnectionsPerAddress: integerSetting('maxConnectionsPerAddress', raw('maxConnectionsPerAddress')!, 1, 1_000_000),
    authFailureLimit: integerSetting('authFailureLimit', raw('authFailureLimit')!, 1, 1_000_000),
    authFailureAddressLimit: integerSetting('authFailureAddressLimit', raw('authFailureAddressLimit')!, 1, 1_000_000),
    authFailureWindowSeconds: integerSetting('authFailureWindowSeconds', raw('authFailureWindowSeconds')!, 1, 86_400),
    audioUrlHosts: hostListSetting('audioUrlHosts', raw('audioUrlHosts') ?? ''),
    audioMaxBytes: integerSetting('audioMaxBytes', raw('audioMaxBytes')!, 1, 1024 ** 3),
    audioMaxSeconds: integerSetting('audioMaxSeconds', raw('audioMaxSeconds')!, 1, 3600),
    audioFetchTimeoutSeconds: integerSetting('audioFetchTimeoutSeconds', raw('audioFetchTimeoutSeconds')!, 1, 600),
    videoMaxTextCharacters: integerSetting('videoMaxTextCharacters', raw('videoMaxTextCharacters')!, 1, 1_000_000),
    videoMaxAudioSeconds: integerSetting('videoMaxAudioSeconds', raw('videoMaxAudioSeconds')!, 1, 86_400),
    videoMaxUnfinishedJobs: integerSetting('videoMaxUnfinishedJobs', raw('videoMaxUnfinishedJobs')!, 1, 1_000_000),
    videoMaxStoredAudioBytes: integerSetting('videoMaxStoredAudioBytes', raw('videoMaxStoredAudioBytes')!, 1, 2 ** 50),
    liveMaxSessionSeconds: integerSetting('liveMaxSessionSeconds', raw('liveMaxSessionSeconds')!, 60, 7 * 86400),
    metricsAddress: addressSetting('metricsAddress', raw('metricsAddress')),
    ...emulatorSettings(raw('emulator')!, raw('emulatorScenarioFile')),
  };
}

/** host:port (an IPv6 host in brackets), or undefined when not set. */
function addressSetting(name: keyof typeof SETTINGS, text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!match || Number(match[2]) > 65535) throw new ConfigError(`${SETTINGS[name].env} must be host:port (e.g. 127.0.0.1:9464), not ${JSON.stringify(text)}`);
  return text;
}

function integerSetting(name: keyof typeof SETTINGS, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${SETTINGS[name].env} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function optionalPath(text: string | undefined): string | undefined {
  return text === undefined ? undefined : path.resolve(text);
}

function databaseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(text)) {
    throw new ConfigError('AVATARFORGE_DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/avatarforge');
  }
  return text;
}

function s3Settings(raw: (name: keyof typeof SETTINGS) => string | undefined): S3Settings | undefined {
  const endpoint = raw('s3Endpoint');
  if (endpoint === undefined) return undefined;
  const url = (name: 's3Endpoint' | 's3PublicEndpoint', text: string) => {
    if (!/^https?:\/\/[^/]+\/?$/.test(text)) throw new ConfigError(`${SETTINGS[name].env} must be an http(s) URL without a path, got "${text}"`);
    return text.replace(/\/$/, '');
  };
  const accessKeyId = raw('s3AccessKeyId');
  const secretAccessKey = raw('s3SecretAccessKey');
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new ConfigError('AVATARFORGE_S3_ENDPOINT needs AVATARFORGE_S3_ACCESS_KEY_ID and AVATARFORGE_S3_SECRET_ACCESS_KEY');
  }
  const bucket = raw('s3Bucket')!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`AVATARFORGE_S3_BUCKET is not a valid bucket name: "${bucket}"`);
  return {
    endpoint: url('s3Endpoint', endpoint),
    publicEndpoint: url('s3PublicEndpoint', raw('s3PublicEndpoint') ?? endpoint),
    bucket,
    region: raw('s3Region')!,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: booleanSetting('s3ForcePathStyle', raw('s3ForcePathStyle')!),
  };
}

/** A comma-separated list of stages, each one of `allowed`. */
function stageListSetting<Stage extends string>(name: keyof typeof SETTINGS, text: string, allowed: readonly Stage[]): Stage[] {
  const stages = text.split(',').map((stage) => stage.trim()).filter((stage) => stage !== '');
  const unknown = stages.filter((stage) => !(allowed as readonly string[]).includes(stage));
  if (unknown.length > 0) {
    throw new ConfigError(`${SETTINGS[name].env} has unknown stages: ${unknown.join(', ')} (stages: ${allowed.join(', ')})`);
  }
  return stages as Stage[];
}

/** host or host:port entries separated by commas, each checked the way the audio fetch reads it. */
function hostListSetting(name: keyof typeof SETTINGS, text: string): string[] {
  const hosts = text.split(',').map((host) => host.trim().toLowerCase()).filter((host) => host !== '');
  for (const host of hosts) {
    try {
      checkExternalUrl(`http://${host}/`, [host]);
    } catch (error) {
      throw new ConfigError(`${SETTINGS[name].env} has a bad entry "${host}": ${error instanceof Error ? error.message : String(error)} (entries are host or host:port, no wildcards)`);
    }
  }
  return hosts;
}

function fractionSetting(name: keyof typeof SETTINGS, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < -1 || value > 1) {
    throw new ConfigError(`${SETTINGS[name].env} must be a number from -1 to 1, got "${text}"`);
  }
  return value;
}

function videoRange(minText: string, maxText: string): { videoMinSeconds: number; videoMaxSeconds: number } {
  const videoMinSeconds = integerSetting('videoMinSeconds', minText, 0, 86400);
  const videoMaxSeconds = integerSetting('videoMaxSeconds', maxText, 1, 86400);
  if (videoMinSeconds > videoMaxSeconds) {
    throw new ConfigError('AVATARFORGE_VIDEO_MIN_SECONDS must not be larger than AVATARFORGE_VIDEO_MAX_SECONDS');
  }
  return { videoMinSeconds, videoMaxSeconds };
}

function emulatorSettings(enabledText: string, scenarioFile: string | undefined): Pick<Config, 'emulator' | 'emulatorScenarioFile'> {
  const emulator = booleanSetting('emulator', enabledText);
  if (scenarioFile !== undefined && !emulator) {
    throw new ConfigError('AVATARFORGE_EMULATOR_SCENARIO needs the emulator on (AVATARFORGE_EMULATOR=1 or serve --emulator)');
  }
  return { emulator, emulatorScenarioFile: scenarioFile === undefined ? undefined : path.resolve(scenarioFile) };
}

function booleanSetting(name: keyof typeof SETTINGS, text: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(text.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(text.toLowerCase())) return false;
  throw new ConfigError(`${SETTINGS[name].env} must be true or false, got "${text}"`);
}

function provisionedCredential(
  projectId: string | undefined,
  accessKey: string | undefined,
  secretKey: string | undefined,
): Config['provisionedCredential'] {
  const given = [projectId, accessKey, secretKey].filter((value) => value !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) {
    throw new ConfigError(
      'AVATARFORGE_PROJECT_ID, AVATARFORGE_ACCESS_KEY and AVATARFORGE_SECRET_KEY must be set together',
    );
  }
  if (!/^[A-Za-z0-9-]{1,64}$/.test(projectId!)) {
    throw new ConfigError('AVATARFORGE_PROJECT_ID must be 1-64 characters of [A-Za-z0-9-]');
  }
  if (!/^[A-Za-z0-9]{8,64}$/.test(accessKey!)) {
    throw new ConfigError('AVATARFORGE_ACCESS_KEY must be 8-64 letters and digits');
  }
  if (secretKey!.length < 16 || secretKey!.length > 128) {
    throw new ConfigError('AVATARFORGE_SECRET_KEY must be 16-128 characters');
  }
  return { projectId: projectId!, accessKey: accessKey!, secretKey: secretKey! };
}
