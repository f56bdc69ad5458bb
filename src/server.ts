import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { AdjustableClock, systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createAuthenticator } from './auth/authenticator.js';
import { provisionCredentials, type NewCredential } from './auth/provisioning.js';
import { createSecretBox, loadMasterKey } from './auth/secretBox.js';
import { createLocalDiskBlobStore } from './blobs/localDiskBlobStore.js';
import { createUrlSigner } from './blobs/signedUrls.js';
import { createTrainingJobService } from './domain/trainingJobService.js';
import { createAdminService } from './domain/adminService.js';
import { createPipelineSummaryService } from './domain/pipelineSummary.js';
import { createPipelineStatisticsStore } from './store/pipelineStatisticsStore.js';
import { buildApp } from './http/app.js';
import { createCredentialStore } from './store/credentialStore.js';
import { migrateToLatest, openSqliteDatabase } from './store/database.js';
import { createJobStore } from './store/trainingJobStore.js';
import { createStageWorkService } from './domain/stageWorkService.js';
import { createExternalWorkService } from './domain/externalWorkService.js';
import { locateMediaTools } from './pipeline/mediaTools.js';
import { createPipelineRunner, type PipelineRunner } from './pipeline/runner.js';
import { DEFAULT_STAGE_HANDLERS } from './pipeline/handlers/index.js';
import { emulatedStageHandler } from './pipeline/handlers/emulated.js';
import { startEmulatedReviewer } from './pipeline/emulatedReviewer.js';
import { createEmulatorService, type EmulatorService } from './domain/emulatorService.js';
import { loadEmulatorScenario } from './emulatorScenario.js';

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
  close(): Promise<void>;
}

export type Services = Awaited<ReturnType<typeof openServices>>;

/** Everything the server runs on, opened from the configuration: database, keys, storage, services. */
export async function openServices(config: Config, clock: Clock) {
  // A bad scenario file stops the start before anything is opened.
  const scenario = config.emulator && config.emulatorScenarioFile !== undefined ? loadEmulatorScenario(config.emulatorScenarioFile) : undefined;
  const db = openSqliteDatabase(config.dataDir);
  await migrateToLatest(db);
  const secretBox = createSecretBox(loadMasterKey(config.masterKey, config.dataDir));
  const credentials = createCredentialStore(db);
  const urls = createUrlSigner(config.publicUrl, secretBox.deriveKey('signed-urls'));
  const jobs = createJobStore(db);
  const blobs = createLocalDiskBlobStore(path.join(config.dataDir, 'blobs'));
  // Emulator mode needs a clock it can move (startServer gives one); other users of the services (the CLI) get none.
  const emulator: EmulatorService | undefined =
    config.emulator && clock instanceof AdjustableClock
      ? createEmulatorService({ jobs, blobs, clock, ...(scenario && { settings: scenario }) })
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
  const pipelineSummary = createPipelineSummaryService({ statistics: createPipelineStatisticsStore(db), clock });
  return { db, secretBox, credentials, urls, trainingJobs, admin, pipelineSummary, jobs, blobs, stageWork, externalWork, emulator };
}

/** The in-process workers: a handler for every stage, heavy work in ffmpeg and trainer child processes. */
function createInProcessRunner(config: Config, services: Services, logger: FastifyBaseLogger): PipelineRunner {
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
    },
    logger,
    workerId: `in-process-${process.pid}`,
    concurrency: config.workerConcurrency,
    pollIntervalMs: 250,
    heartbeatIntervalMs: Math.max(100, Math.floor((config.heartbeatTimeoutSeconds * 1000) / 3)),
  });
}

export async function startServer(config: Config, options: { clock?: Clock } = {}): Promise<RunningServer> {
  // In emulator mode everything that expires reads a virtual clock that the emulator API moves.
  const clock = options.clock ?? (config.emulator ? new AdjustableClock() : systemClock);
  if (config.emulator && !(clock instanceof AdjustableClock)) throw new Error('emulator mode needs an AdjustableClock (the emulator moves it)');
  const services = await openServices(config, clock);
  const firstStartCredential = await provisionCredentials(services.credentials, services.secretBox, clock, config.provisionedCredential);
  const authenticate = createAuthenticator({
    credentials: services.credentials,
    secretBox: services.secretBox,
    clock,
    signatureMaxSkewMs: config.signatureMaxSkewSeconds * 1000,
    debugSignatures: config.debugSignatures,
  });
  const app = await buildApp({
    trainingJobs: services.trainingJobs,
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
    logger: { level: config.logLevel },
  });
  const address = await app.listen({ host: config.host, port: config.port });
  const runner = config.workers ? createInProcessRunner(config, services, app.log) : undefined;
  runner?.start();
  const reviewer = services.emulator && startEmulatedReviewer(services.emulator, app.log, 100);
  const tokenSweep = setInterval(() => void services.credentials.deleteExpiredTokens(clock.now().getTime()), 3_600_000);
  tokenSweep.unref();
  return {
    app,
    url: address,
    firstStartCredential,
    services,
    runner,
    async close() {
      clearInterval(tokenSweep);
      await reviewer?.stop();
      await runner?.stop();
      await app.close();
      await services.db.destroy();
    },
  };
}
