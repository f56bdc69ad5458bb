import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { destination, pino } from 'pino';
import { AdjustableClock, systemClock, type Clock } from './clock.js';
import { ConfigError, type Config } from './config.js';
import { createAuthenticator, type Authenticate } from './auth/authenticator.js';
import { createFailedLoginThrottle } from './auth/failedLogins.js';
import { provisionCredentials, type NewCredential } from './auth/provisioning.js';
import { createSecretBox, loadMasterKey, type SecretBox } from './auth/secretBox.js';
import type { BlobStore } from './blobs/blobStore.js';
import { createLocalDiskBlobStore } from './blobs/localDiskBlobStore.js';
import { createUrlSigner, withStoreDownloads } from './blobs/signedUrls.js';
import { createTrainingJobService } from './domain/trainingJobService.js';
import { createAdminService } from './domain/adminService.js';
import { createPipelineSummaryService } from './domain/pipelineSummary.js';
import { createPipelineStatisticsStore } from './store/pipelineStatisticsStore.js';
import { buildApp } from './http/app.js';
import { VoiceSamples } from './domain/voices/samples.js';
import { createReadCache, type ReadCache } from './http/readCache.js';
import { createCredentialStore } from './store/credentialStore.js';
import { changeStampOf, describeDatabase, migrateToLatest, openDatabase, type Db } from './store/database.js';
import { readInstallationSetting, settleInstallationSetting, writeInstallationSetting } from './store/installationSettings.js';
import { createJobStore } from './store/trainingJobStore.js';
import { createStageWorkService } from './domain/stageWorkService.js';
import { createExternalWorkService } from './domain/externalWorkService.js';
import { locateMediaTools } from './pipeline/mediaTools.js';
import { createAudioIntake } from './pipeline/audioIntake.js';
import { createAssetMediaProbe } from './pipeline/assetMediaProbe.js';
import { createVideoJobService } from './domain/videoJobService.js';
import { createAssetService } from './domain/assets/assetService.js';
import { createAssetFileService } from './domain/assets/assetFileService.js';
import { createLiveSessionService } from './domain/live/liveSessionService.js';
import { createLiveStore } from './store/live/liveStore.js';
import { createPipelineRunner, type PipelineRunner } from './pipeline/runner.js';
import { DEFAULT_STAGE_HANDLERS } from './pipeline/handlers/index.js';
import { emulatedStageHandler } from './pipeline/handlers/emulated.js';
import { startEmulatedReviewer } from './pipeline/emulatedReviewer.js';
import { createEmulatorService, type EmulatorService } from './domain/emulatorService.js';
import { loadEmulatorScenario } from './emulatorScenario.js';
import { startMetricsListener } from './metrics/listener.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';

export interface RunningServer {
  app: FastifyInstance;
  /** Where the server listens, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The credential created on a first start with an empty data dir, to show once. */
  firstStartCredential: NewCredential | undefined;
  /** What the server runs on (database, stores, services), for embedding and tests. */
  services: Services;
  /** The in-process workers, when they are on. */
  runner: PipelineRunner | undefined;
  /** GET /metrics, when AVATARFORGE_METRICS_ADDRESS is set. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

export type Services = Awaited<ReturnType<typeof openServices>>;

/** Everything the server runs on, opened from the configuration: database, keys, storage, services. */
export async function openServices(config: Config, clock: Clock) {
  // A bad scenario file stops the start before anything is opened.
  const scenario = config.emulator && config.emulatorScenarioFile !== undefined ? loadEmulatorScenario(config.emulatorScenarioFile) : undefined;
  const db = openDatabase(config);
  await migrateToLatest(db);
  const secretBox = await openSecretBox(config, db);
  const credentials = createCredentialStore(db);
  const serverUrls = createUrlSigner(config.publicUrl, secretBox.deriveKey('signed-urls'));
  const jobs = createJobStore(db);
  const blobs = await openBlobStore(config);
  const urls = blobs.direct ? withStoreDownloads(serverUrls, blobs.direct) : serverUrls;
  // Emulator mode needs a clock it can move (startServer gives one); other users of the services (the CLI) get none.
  const liveStore = createLiveStore(db);
  const emulator: EmulatorService | undefined =
    config.emulator && clock instanceof AdjustableClock
      ? createEmulatorService({
          jobs,
          live: liveStore,
          blobs,
          clock: await withSavedOffset(db, clock),
          ...(scenario && { settings: scenario }),
          saveClockOffset: (offsetMs) => writeInstallationSetting(db, EMULATOR_CLOCK_OFFSET, String(offsetMs)),
        })
      : undefined;
  const trainingJobs = createTrainingJobService({
    jobs,
    blobs,
    urls,
    clock,
    ...(emulator && { onJobShown: (jobId: string) => emulator.recordRead(jobId) }),
    settings: {
      uploadUrlTtlMs: config.uploadUrlTtlSeconds * 1000,
      downloadUrlTtlMs: config.downloadUrlTtlSeconds * 1000,
      maxUploadBytes: config.maxUploadBytes,
      maxAudioUploadBytes: config.audioMaxBytes,
      maxStoredAudioBytes: config.videoMaxStoredAudioBytes,
      requireIdentityFiles: config.requireIdentityFiles,
    },
  });
  const admin = createAdminService({
    jobs,
    blobs,
    urls,
    clock,
    settings: { uploadUrlTtlMs: config.uploadUrlTtlSeconds * 1000, downloadUrlTtlMs: config.downloadUrlTtlSeconds * 1000 },
  });
  const stageWork = createStageWorkService({
    jobs,
    blobs,
    clock,
    settings: {
      heartbeatTimeoutMs: config.heartbeatTimeoutSeconds * 1000,
      leaseMaxMs: config.leaseMaxSeconds * 1000,
      gates: { adminConfirm: config.adminConfirmGate, userConfirm: config.userConfirmGate },
    },
    ...(emulator && { isWorkReady: emulator.isWorkReady }),
  });
  const externalWork = createExternalWorkService({
    jobs,
    stageWork,
    urls,
    clock,
    heartbeatTimeoutMs: config.heartbeatTimeoutSeconds * 1000,
    downloadUrlTtlMs: config.downloadUrlTtlSeconds * 1000,
  });
  const statistics = createPipelineStatisticsStore(db);
  const pipelineSummary = createPipelineSummaryService({ statistics, clock });
  const videoJobs = createVideoJobService({
    jobs,
    blobs,
    urls,
    clock,
    settings: {
      publicUrl: config.publicUrl,
      audioMaxSeconds: config.audioMaxSeconds,
      maxTextCharacters: config.videoMaxTextCharacters,
      maxAudioSeconds: config.videoMaxAudioSeconds,
      maxUnfinishedJobs: config.videoMaxUnfinishedJobs,
      uploadUrlTtlMs: config.uploadUrlTtlSeconds * 1000,
      downloadUrlTtlMs: config.downloadUrlTtlSeconds * 1000,
      renderMaxAttempts: 3,
    },
    audio: createAudioIntake({
      blobs,
      tools: () => locateMediaTools(config),
      allowedHosts: config.audioUrlHosts,
      maxBytes: config.audioMaxBytes,
      maxSeconds: config.audioMaxSeconds,
      fetchTimeoutMs: config.audioFetchTimeoutSeconds * 1000,
    }),
    ...(emulator && { onJobShown: (jobId: string) => emulator.recordRead(jobId) }),
  });
  const assets = createAssetService({ jobs, blobs, urls, clock, settings: { downloadUrlTtlMs: config.downloadUrlTtlSeconds * 1000 } });
  const assetFiles = createAssetFileService({
    jobs,
    blobs,
    urls,
    // The media metadata of uploaded images, sounds and videos, read when their MAIN file is confirmed.
    media: createAssetMediaProbe({ blobs, tools: () => locateMediaTools(config), timeoutMs: ASSET_PROBE_TIMEOUT_MS }),
    clock,
    settings: { uploadUrlTtlMs: config.uploadUrlTtlSeconds * 1000, maxUploadBytes: config.maxUploadBytes },
  });
  // Live sessions: the dialog URLs are signed with the key of the server's own signed URLs (serverUrls, also with an object store).
  const live = createLiveSessionService({ live: liveStore, models: jobs, urls: serverUrls, clock, settings: { maxSessionMs: config.liveMaxSessionSeconds * 1000 } });
  return { db, secretBox, credentials, urls, trainingJobs, videoJobs, assets, assetFiles, live, admin, statistics, pipelineSummary, jobs, blobs, stageWork, externalWork, emulator };
}

/** How long ConfirmFileUpload waits for ffprobe to read a MAIN file's media metadata (then: none). */
const ASSET_PROBE_TIMEOUT_MS = 20_000;

const EMULATOR_CLOCK_OFFSET = 'emulator_clock_offset_ms';
/** The public URL of the server that last started on this installation. */
export const SERVER_PUBLIC_URL = 'server_public_url';

/** The emulator's virtual clock, moved on as far as it was when the server last stopped. */
async function withSavedOffset(db: Db, clock: AdjustableClock): Promise<AdjustableClock> {
  const saved = Number(await readInstallationSetting(db, EMULATOR_CLOCK_OFFSET));
  if (Number.isFinite(saved) && saved !== clock.offset()) clock.advance(saved - clock.offset());
  return clock;
}

/** The configured store: an S3-compatible one, or local disk in the data dir. */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  // The S3 client is loaded only when an object store is configured: the embedded default starts without it.
  return config.s3
    ? (await import('./blobs/s3BlobStore.js')).createS3BlobStore(config.s3)
    : createLocalDiskBlobStore(path.join(config.dataDir, 'blobs'));
}

/**
 * The master key's box, checked against the database: every node and CLI command on one database
 * must use the same master key (the first one to run records a check value), or the secrets and
 * signed URLs of one would be noise to the others.
 */
export async function openSecretBox(config: Config, db: Db): Promise<SecretBox> {
  const secretBox = createSecretBox(loadMasterKey(config.masterKey, config.dataDir));
  const check = secretBox.deriveKey('master-key-check').toString('hex');
  if ((await settleInstallationSetting(db, 'master_key_check', check)) !== check) {
    throw new ConfigError(
      `the master key (${config.masterKey ? 'AVATARFORGE_MASTER_KEY' : path.join(config.dataDir, 'master.key')}) is not the one ` +
        `${describeDatabase(config)} was set up with: give every node and command the same AVATARFORGE_MASTER_KEY`,
    );
  }
  return secretBox;
}

/** The in-process workers: a handler for every stage, heavy work in ffmpeg and trainer child processes. */
function createInProcessRunner(config: Config, services: Services, logger: FastifyBaseLogger, workerId: string, metrics?: Metrics): PipelineRunner {
  const { emulator } = services;
  return createPipelineRunner({
    stageWork: services.stageWork,
    jobs: services.jobs,
    blobs: services.blobs,
    // In emulator mode each stage ends as the emulator settings force it.
    handlers: Object.fromEntries(
      config.workerStages.map((stage) => [
        stage,
        emulator ? emulatedStageHandler(stage, DEFAULT_STAGE_HANDLERS[stage], (family) => emulator.forcedOutcome(family)) : DEFAULT_STAGE_HANDLERS[stage],
      ]),
    ),
    tools: locateMediaTools(config),
    settings: {
      videoMinSeconds: config.videoMinSeconds,
      videoMaxSeconds: config.videoMaxSeconds,
      requireIdentityFiles: config.requireIdentityFiles,
      trainerCommand: config.trainerCommand,
      trainerStages: config.trainerStages,
      referenceTrainer: config.referenceTrainer,
      testVideoMinCorrelation: config.testVideoMinCorrelation,
    },
    logger,
    workerId,
    concurrency: config.workerConcurrency,
    pollIntervalMs: 250,
    heartbeatIntervalMs: Math.max(100, Math.floor((config.heartbeatTimeoutSeconds * 1000) / 3)),
    metrics,
  });
}

export async function startServer(config: Config, options: { clock?: Clock } = {}): Promise<RunningServer> {
  // In emulator mode everything that expires reads a virtual clock that the emulator API moves.
  const clock = options.clock ?? (config.emulator ? new AdjustableClock() : systemClock);
  if (config.emulator && !(clock instanceof AdjustableClock)) throw new Error('emulator mode needs an AdjustableClock (the emulator moves it)');
  const services = await openServices(config, clock);
  const logFile = openLogFile(config);
  const firstStartCredential = await provisionCredentials(services.credentials, services.secretBox, clock, config.provisionedCredential);
  const throttle = createFailedLoginThrottle(clock, {
    perKeyAndAddress: config.authFailureLimit,
    perAddress: config.authFailureAddressLimit,
    windowMs: config.authFailureWindowSeconds * 1000,
  });
  const authenticate = createAuthenticator({
    credentials: services.credentials,
    secretBox: services.secretBox,
    clock,
    throttle,
    signatureMaxSkewMs: config.signatureMaxSkewSeconds * 1000,
    debugSignatures: config.debugSignatures,
    changeStamp: changeStampOf(services.db),
  });
  const metrics = createMetrics({ statistics: services.statistics, clock });
  const app = await buildApp({
    metrics,
    readCache: openReadCache(config, services, authenticate, clock),
    trainingJobs: services.trainingJobs,
    videoJobs: services.videoJobs,
    assets: services.assets,
    assetFiles: services.assetFiles,
    live: services.live,
    voiceSamples: new VoiceSamples(config.referenceTrainer, path.join(config.dataDir, 'voice-samples')),
    admin: services.admin,
    pipelineSummary: services.pipelineSummary,
    externalWork: services.externalWork,
    emulator: services.emulator,
    authenticate,
    credentials: services.credentials,
    secretBox: services.secretBox,
    urls: services.urls,
    clock,
    isReady: async () => {
      await sql`select 1`.execute(services.db);
      return true;
    },
    maxJsonBodyBytes: config.maxJsonBodyBytes,
    tokenTtlMs: config.tokenTtlSeconds * 1000,
    throttle,
    slowClients: {
      bodyTimeoutMs: config.bodyTimeoutSeconds * 1000,
      uploadIdleMs: config.uploadIdleTimeoutSeconds * 1000,
      downloadIdleMs: config.downloadIdleTimeoutSeconds * 1000,
      maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    },
    logger: { level: config.logLevel, ...(logFile && { stream: logFile }) },
  });
  const address = await app.listen({ host: config.host, port: config.port });
  // Commands run beside the server (avatarforge admin show) sign URLs for the address it really serves.
  if (!config.publicUrl.endsWith(':0')) await writeInstallationSetting(services.db, SERVER_PUBLIC_URL, config.publicUrl);
  const runner = config.workers ? createInProcessRunner(config, services, app.log, `in-process-${process.pid}`, metrics) : undefined;
  runner?.start();
  const metricsListener = config.metricsAddress === undefined ? undefined : await startMetricsListener(config.metricsAddress, metrics);
  if (metricsListener) app.log.info({ url: metricsListener.url }, 'metrics served');
  const reviewer = services.emulator && startEmulatedReviewer(services.emulator, app.log, 100);
  const tokenSweep = setInterval(() => void services.credentials.deleteExpiredTokens(clock.now().getTime()), 3_600_000);
  tokenSweep.unref();
  // The recycle bins of projects nobody uses are emptied too (a project's own requests empty its bin as they come).
  const recycleBinSweep = setInterval(() => void services.assets.sweepRecycleBin().catch((error: unknown) => app.log.error({ err: error }, 'recycle-bin sweep failed')), 3_600_000);
  recycleBinSweep.unref();
  return {
    app,
    url: address,
    firstStartCredential,
    services,
    runner,
    metricsUrl: metricsListener?.url,
    async close() {
      clearInterval(tokenSweep);
      clearInterval(recycleBinSweep);
      await metricsListener?.close();
      await reviewer?.stop();
      await runner?.stop();
      await app.close();
      await services.db.destroy();
      logFile?.end();
    },
  };
}

/**
 * The log file (AVATARFORGE_LOG_FILE), opened for appending; absent: the log goes to stdout. Each
 * line is written whole by one synchronous write, so processes appending to one file do not mix
 * their lines, and nothing is lost when the process ends.
 */
function openLogFile(config: Config): ReturnType<typeof destination> | undefined {
  return config.logFile === undefined ? undefined : destination({ dest: config.logFile, append: true, mkdir: true, sync: true });
}

/**
 * The cache of Show and List answers, where it can tell when an answer went stale: on SQLite (its
 * change stamp), with the bytes on local disk (a direct upload to an object store changes Show
 * without a write here), and outside emulator mode (where reading a job moves it on).
 */
function openReadCache(config: Config, services: Services, authenticate: Authenticate, clock: Clock): ReadCache | undefined {
  const changeStamp = changeStampOf(services.db);
  if (config.readCacheMegabytes === 0 || changeStamp === undefined || services.blobs.direct || config.emulator) return undefined;
  return createReadCache({ changeStamp, authenticate, clock, maxBytes: config.readCacheMegabytes * 1024 ** 2 });
}

export interface RunningWorker {
  services: Services;
  runner: PipelineRunner;
  close(): Promise<void>;
}

/**
 * The pipeline's workers without the API (`avatarforge worker` with no --server): they claim work
 * from the configured database and read and write the configured store, next to API nodes started
 * with `serve --no-workers`.
 */
export async function startPipelineWorker(config: Config, workerId: string): Promise<RunningWorker> {
  const services = await openServices(config, systemClock);
  const logFile = openLogFile(config);
  const logger = pino({ level: config.logLevel, base: { workerId } }, logFile);
  const runner = createInProcessRunner(config, services, logger, workerId);
  runner.start();
  return {
    services,
    runner,
    async close() {
      await runner.stop();
      await services.db.destroy();
      logFile?.end();
    },
  };
}
