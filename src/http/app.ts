import http from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Clock } from '../clock.js';
import type { Authenticate } from '../auth/authenticator.js';
import type { SecretBox } from '../auth/secretBox.js';
import { newId } from '../domain/ids.js';
import type { AdminService } from '../domain/adminService.js';
import type { EmulatorService } from '../domain/emulatorService.js';
import type { ExternalWorkService } from '../domain/externalWorkService.js';
import type { UrlSigner } from '../domain/ports.js';
import type { TrainingJobService } from '../domain/trainingJobService.js';
import type { CredentialStore } from '../store/credentialStore.js';
import type { PipelineSummaryService } from '../domain/pipelineSummary.js';
import { registerConditionalGet } from './plugins/conditionalGet.js';
import { answerClientError, registerErrorHandling, sendError } from './plugins/errors.js';
import { countRequests } from './plugins/metrics.js';
import { guardAgainstSlowClients, type SlowClientLimits } from './plugins/slowClients.js';
import { ApiError } from '../domain/errors.js';
import type { ReadCache } from './readCache.js';
import { createTrainingJobRoute } from './routes/trainingJobs/create.js';
import { listTrainingJobsRoute } from './routes/trainingJobs/list.js';
import { showTrainingJobRoute } from './routes/trainingJobs/show.js';
import { showTrainingJobModelRoute } from './routes/trainingJobs/showModel.js';
import { updateTrainingJobRoute } from './routes/trainingJobs/update.js';
import { deleteTrainingJobRoute } from './routes/trainingJobs/delete.js';
import { executeTrainingJobCommandRoute } from './routes/trainingJobs/command.js';
import { registerVideoJobRoutes } from './routes/videoJobs/index.js';
import { registerVoiceRoutes } from './routes/voices/index.js';
import { registerAssetRoutes } from './routes/assets/index.js';
import { registerLiveRoutes } from './routes/live/index.js';
import type { LiveSessionService } from '../domain/live/liveSessionService.js';
import type { AssetService } from '../domain/assets/assetService.js';
import type { AssetFileService } from '../domain/assets/assetFileService.js';
import type { VoiceSamples } from '../domain/voices/samples.js';
import type { VideoJobService } from '../domain/videoJobService.js';
import type { FailedLoginThrottle } from '../auth/failedLogins.js';
import type { Metrics } from '../metrics/metrics.js';
import { uploadFileRoute } from './routes/files/upload.js';
import { downloadFileRoute } from './routes/files/download.js';
import { adminListTrainingJobsRoute } from './routes/admin/list.js';
import { adminShowTrainingJobRoute } from './routes/admin/show.js';
import { adminShowTrainingJobModelRoute } from './routes/admin/showModel.js';
import { adminReviewTrainingJobRoute } from './routes/admin/review.js';
import { adminStopTrainingJobRoute } from './routes/admin/stop.js';
import { adminResetTrainingJobRoute } from './routes/admin/reset.js';
import { adminRedoTrainingJobRoute } from './routes/admin/redo.js';
import { adminSkipTrainingJobStageRoute } from './routes/admin/skip.js';
import { adminSetFlexusRetryCountRoute } from './routes/admin/setFlexusRetryCount.js';
import { adminAcceptTrainingJobRoute } from './routes/admin/accept.js';
import { adminPipelineSummaryRoute } from './routes/admin/pipelineSummary.js';
import { registerConsole } from './routes/console/consoleFiles.js';
import { createTokenRoute } from './routes/iam/createToken.js';
import { registerWorkerRoutes } from './routes/worker/index.js';
import { registerEmulatorRoutes } from './routes/emulator/index.js';
import { healthRoutes, rootRoute } from './routes/health/health.js';

export interface AppDeps {
  trainingJobs: TrainingJobService;
  videoJobs: VideoJobService;
  assets: AssetService;
  assetFiles: AssetFileService;
  live: LiveSessionService;
  admin: AdminService;
  pipelineSummary: PipelineSummaryService;
  externalWork: ExternalWorkService;
  voiceSamples: VoiceSamples;
  /** Present in emulator mode only: its routes exist only then. */
  emulator?: EmulatorService | undefined;
  authenticate: Authenticate;
  credentials: CredentialStore;
  secretBox: SecretBox;
  urls: UrlSigner;
  clock: Clock;
  isReady: () => Promise<boolean>;
  maxJsonBodyBytes: number;
  tokenTtlMs: number;
  /** Refuses addresses and keys that keep failing authentication (also on POST /v3/auth/tokens). */
  throttle?: FailedLoginThrottle | undefined;
  /** Cuts off bodies that trickle and caps connections per address (absent: no limits). */
  slowClients?: SlowClientLimits | undefined;
  logger: FastifyServerOptions['logger'];
  /** Show and List answers kept for repeated reads; absent where the database has no change stamp. */
  readCache?: ReadCache | undefined;
  /** Requests counted for GET /metrics (absent: not counted). */
  metrics?: Metrics | undefined;
}

/**
 * Request bodies are validated strictly (a "3" is not a number: the SDKs must send real JSON
 * types); query strings and path parameters arrive as text and are coerced.
 */
function createValidators() {
  const strict = new Ajv({ coerceTypes: false, useDefaults: false, allErrors: false, strict: false });
  const coercing = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: false, strict: false });
  addFormats.default(strict);
  addFormats.default(coercing);
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema);
}

/** A kept answer if there is one; a failure here (the database closing, say) leaves the request to Fastify. */
function serveKeptAnswer(readCache: ReadCache, request: http.IncomingMessage, response: http.ServerResponse, log: FastifyBaseLogger): boolean {
  try {
    return readCache.serve(request, response, log);
  } catch (error) {
    log.error({ err: error }, 'read cache failed; the request takes the full path');
    return response.headersSent;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { readCache } = deps;
  const app: FastifyInstance = Fastify({
    logger: deps.logger,
    ...(readCache && {
      // Node's server as Fastify would make it, with kept answers served before Fastify routes.
      serverFactory: (handler: http.RequestListener, options: FastifyServerOptions) => {
        const server = http.createServer((request, response) => {
          const started = performance.now();
          if (!serveKeptAnswer(readCache, request, response, app.log)) handler(request, response);
          else if (deps.metrics) {
            const metrics = deps.metrics;
            response.once('finish', () => metrics.requestAnswered(request.method ?? 'GET', '(read cache)', response.statusCode, (performance.now() - started) / 1000));
          }
        });
        server.keepAliveTimeout = options.keepAliveTimeout!;
        server.requestTimeout = options.requestTimeout!;
        server.setTimeout(options.connectionTimeout!);
        return server;
      },
    }),
    // Request ids are ours (32 hex digits); an inbound X-Request-Id is not trusted.
    genReqId: () => newId(),
    requestIdHeader: false,
    // One line per request instead of two, at a level by what it did (the onResponse hook below).
    logController: new LogController({ disableRequestLogging: true }),
    // A URL the router cannot read (a bad percent-escape, a path segment over its 100-character limit)
    // is answered before any hook runs: in the gateway's shape, with the request id, like the rest.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      reply.raw.setHeader('X-Request-Id', request.id);
      request.log.debug({ code: error.code, url: request.url }, 'unreadable URL');
      return sendError(request, reply, new ApiError('MALFORMED_REQUEST'));
    },
    bodyLimit: deps.maxJsonBodyBytes,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(createValidators());
  // Bodies stay raw bytes until a route wants them: the tenant and admin APIs check the signature over them
  // first, and a request that matches no route gets its 404 whatever its body holds.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request, reply) => {
    // Set on Node's response, which keeps the name's case: Fastify lower-cases the headers it sets,
    // and the Java SDK looks X-Request-Id up case-sensitively.
    reply.raw.setHeader('X-Request-Id', request.id);
  });
  registerErrorHandling(app);
  if (deps.slowClients) guardAgainstSlowClients(app, deps.slowClients);
  if (deps.metrics) countRequests(app, deps.metrics);
  app.addHook('onResponse', async (request, reply) => {
    // Reads that worked (polls, 304s) are at debug; changes and failures at info: the log shows what
    // happened, not every poll. AVATARFORGE_LOG_LEVEL=debug shows every request. `route` is the
    // matched route's template (none when no route matched): tools/statusCoverage.ts reads it.
    const quiet = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode < 400;
    request.log[quiet ? 'debug' : 'info'](
      { method: request.method, url: request.url, route: request.routeOptions.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'avatarforge: MetaStudio 2D model training-job API',
        version: '0.1.0',
        description: 'Wire-compatible implementation of the MetaStudio 2D digital-human model training-job API.',
      },
      components: {
        securitySchemes: {
          akskAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'SDK-HMAC-SHA256 AK/SK signature, with X-Sdk-Date and X-Project-Id.' },
          tokenAuth: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'Token from POST /v3/auth/tokens.' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    registerConditionalGet(api);
    const routeDeps = { trainingJobs: deps.trainingJobs, authenticate: deps.authenticate, readCache };
    createTrainingJobRoute(api, routeDeps);
    listTrainingJobsRoute(api, routeDeps);
    showTrainingJobRoute(api, routeDeps);
    showTrainingJobModelRoute(api, routeDeps);
    updateTrainingJobRoute(api, routeDeps);
    deleteTrainingJobRoute(api, routeDeps);
    executeTrainingJobCommandRoute(api, routeDeps);
    registerVideoJobRoutes(api, { videoJobs: deps.videoJobs, authenticate: deps.authenticate });
    registerVoiceRoutes(api, { authenticate: deps.authenticate, samples: deps.voiceSamples });
    registerAssetRoutes(api, { assets: deps.assets, assetFiles: deps.assetFiles, authenticate: deps.authenticate, readCache });
    registerLiveRoutes(api, { live: deps.live, authenticate: deps.authenticate });

    const adminDeps = { admin: deps.admin, authenticate: deps.authenticate };
    adminListTrainingJobsRoute(api, adminDeps);
    adminShowTrainingJobRoute(api, adminDeps);
    adminShowTrainingJobModelRoute(api, adminDeps);
    adminReviewTrainingJobRoute(api, adminDeps);
    adminStopTrainingJobRoute(api, adminDeps);
    adminResetTrainingJobRoute(api, adminDeps);
    adminRedoTrainingJobRoute(api, adminDeps);
    adminSkipTrainingJobStageRoute(api, adminDeps);
    adminSetFlexusRetryCountRoute(api, adminDeps);
    adminAcceptTrainingJobRoute(api, adminDeps);
    adminPipelineSummaryRoute(api, { pipelineSummary: deps.pipelineSummary, authenticate: deps.authenticate });

    registerWorkerRoutes(api, { work: deps.externalWork, authenticate: deps.authenticate });
    if (deps.emulator) registerEmulatorRoutes(api, { emulator: deps.emulator, authenticate: deps.authenticate });
  });

  // Signed URLs: upload bodies are streamed by the handler, never parsed or buffered.
  await app.register(async (files) => {
    files.removeAllContentTypeParsers();
    files.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const fileDeps = { trainingJobs: deps.trainingJobs, urls: deps.urls, clock: deps.clock };
    uploadFileRoute(files, fileDeps);
    downloadFileRoute(files, fileDeps);
  });

  createTokenRoute(app, { credentials: deps.credentials, secretBox: deps.secretBox, clock: deps.clock, tokenTtlMs: deps.tokenTtlMs, throttle: deps.throttle });
  healthRoutes(app, deps.isReady);
  rootRoute(app);
  await registerConsole(app);
  return app;
}
