#!/usr/bin/env node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { EXTERNAL_STAGES, runExternalWorker } from '../pipeline/externalWorker.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig, type Config, type ConfigFlags } from '../config.js';
import { CREDENTIAL_ROLES, type CredentialRole } from '../auth/credentials.js';
import { createAccessKey, type NewCredential } from '../auth/provisioning.js';
import type { SecretBox } from '../auth/secretBox.js';
import type { AdminActionResult } from '../domain/adminSchemas.js';
import type { AdminService } from '../domain/adminService.js';
import { ApiError } from '../domain/errors.js';
import { ADMIN_RESET_TARGETS, type AdminResetTarget } from '../domain/stateMachine.js';
import { createCredentialStore, type CredentialStore } from '../store/credentialStore.js';
import { describeDatabase, migrateToLatest, openDatabase, type Db } from '../store/database.js';
import { copyEmbeddedInstallation, progressPrinter } from './copyEmbedded.js';
import { importModel, type ImportModelOptions } from './importModel.js';
import { listVoices, renderVideo, sayText, type RenderOptions } from './render.js';
import { openBlobStore, openSecretBox, openServices, SERVER_PUBLIC_URL, startPipelineWorker, startServer } from '../server.js';
import { readInstallationSetting } from '../store/installationSettings.js';

const program = new Command()
  .name('avatarforge')
  .description('Self-hostable server for the MetaStudio 2D digital-human model training-job and video-job APIs')
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('--data-dir <dir>', 'data directory (AVATARFORGE_DATA_DIR, default ./data)')
  .showHelpAfterError();

/** The version in package.json (dist/src/cli/main.js sits three levels below it). */
function packageVersion(): string {
  const file = fileURLToPath(new URL('../../../package.json', import.meta.url));
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Flags common to every command override AVATARFORGE_* variables, which override defaults. */
function configFrom(command: Command, extra: ConfigFlags = {}): Config {
  const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
  return loadConfig({ dataDir, ...extra });
}

function printCredential(credential: NewCredential, heading: string): void {
  process.stdout.write(
    [
      '',
      heading,
      `  project id : ${credential.projectId}`,
      `  access key : ${credential.accessKey}`,
      `  secret key : ${credential.secretKey}`,
      `  role       : ${credential.role}`,
      ...(credential.role === 'tenant'
        ? []
        : [`  note       : ${credential.role} keys act across every project; the project id above only records the key and holds no jobs`]),
      '  The secret key is shown only now; it is stored encrypted.',
      '',
    ].join('\n') + '\n',
  );
}

program
  .command('serve')
  .description('start the API server')
  .option('--host <host>', 'listen address (AVATARFORGE_HOST, default 127.0.0.1)')
  .option('--port <port>', 'listen port (AVATARFORGE_PORT, default 8080)')
  .option('--public-url <url>', 'base of signed URLs (AVATARFORGE_PUBLIC_URL, default http://HOST:PORT)')
  .addOption(new Option('--log-level <level>', 'AVATARFORGE_LOG_LEVEL, default info').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
  .option('--emulator', 'turn on emulator control under /v1/emulator (AVATARFORGE_EMULATOR; docs/emulator.md)')
  .option('--emulator-scenario <file>', 'emulator settings to load at start (AVATARFORGE_EMULATOR_SCENARIO)')
  .option('--no-workers', 'serve the API only; `avatarforge worker` processes run the pipeline (AVATARFORGE_WORKERS=false)')
  .action(async (options: { host?: string; port?: string; publicUrl?: string; logLevel?: string; emulator?: boolean; emulatorScenario?: string; workers: boolean }, command: Command) => {
    const { emulator, emulatorScenario, workers, ...flags } = options;
    const config = configFrom(command, {
      ...flags,
      ...(emulator && { emulator: 'true' }),
      ...(emulatorScenario !== undefined && { emulatorScenarioFile: emulatorScenario }),
      ...(!workers && { workers: 'false' }),
    });
    const server = await startServer(config);
    if (server.firstStartCredential) printCredential(server.firstStartCredential, 'First start: created a project and an access key.');
    process.stdout.write(`avatarforge listening on ${server.url} (${describeDatabase(config)}, data dir ${config.dataDir})${config.emulator ? ', emulator control on' : ''}\n`);
    const stop = async (signal: string) => {
      server.app.log.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async (_options, command: Command) => {
    const config = configFrom(command);
    const db = openDatabase(config);
    await migrateToLatest(db);
    await db.destroy();
    process.stdout.write(`database ${describeDatabase(config)} is up to date\n`);
  });

/** Runs `work` against the credential store of the configured data dir. */
async function withCredentials<T>(command: Command, work: (context: CredentialsContext) => Promise<T>): Promise<T> {
  const config = configFrom(command);
  const db = openDatabase(config);
  await migrateToLatest(db);
  const context = { db, store: createCredentialStore(db), secretBox: await openSecretBox(config, db) };
  try {
    return await work(context);
  } finally {
    await db.destroy();
  }
}

interface CredentialsContext {
  db: Db;
  store: CredentialStore;
  secretBox: SecretBox;
}

const keys = program.command('keys').description('manage access keys (AK/SK)');

keys
  .command('create')
  .description('create an access key; prints its secret key once')
  .option('--project <id>', 'project of the key (default: a new project)')
  .addOption(new Option('--role <role>', 'tenant (API), admin (review) or worker (pipeline)').choices(CREDENTIAL_ROLES).default('tenant'))
  .option('--description <text>', 'a note kept with the key')
  .action(async (options: { project?: string; role: CredentialRole; description?: string }, command: Command) => {
    if (options.project !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(options.project)) {
      throw new ConfigError('--project must be 1-64 characters of [A-Za-z0-9-]');
    }
    const credential = await withCredentials(command, ({ store, secretBox }) =>
      createAccessKey(store, secretBox, systemClock, { projectId: options.project, role: options.role, description: options.description }),
    );
    printCredential(credential, 'Created an access key.');
  });

keys
  .command('list')
  .description('list access keys (never their secrets)')
  .option('--project <id>', 'only this project\'s keys')
  .option('--json', 'print JSON')
  .action(async (options: { project?: string; json?: boolean }, command: Command) => {
    const rows = await withCredentials(command, ({ store }) => store.listAccessKeys(options.project));
    const listed = rows.map((row) => ({
      access_key: row.accessKey,
      project_id: row.projectId,
      role: row.role,
      status: row.revokedAt === null ? 'active' : 'revoked',
      created_at: new Date(row.createdAt).toISOString(),
      description: row.description ?? '',
    }));
    if (options.json) {
      process.stdout.write(JSON.stringify(listed, null, 2) + '\n');
      return;
    }
    if (listed.length === 0) {
      process.stdout.write('no access keys\n');
      return;
    }
    for (const key of listed) {
      process.stdout.write(`${key.access_key}  ${key.project_id}  ${key.role.padEnd(6)}  ${key.status.padEnd(7)}  ${key.created_at}  ${key.description}\n`);
    }
  });

keys
  .command('revoke')
  .description('revoke an access key (and every token issued with it)')
  .argument('<access-key>')
  .action(async (accessKey: string, _options, command: Command) => {
    const found = await withCredentials(command, ({ store }) => store.revokeAccessKey(accessKey, Date.now()));
    if (!found) {
      process.stderr.write(`no access key ${accessKey}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`revoked ${accessKey}\n`);
  });

/**
 * The URLs an admin command prints must reach the server: unless a public URL is given, take the one
 * the server recorded at its last start (it may listen on another port than this command's default).
 */
async function withServerPublicUrl(config: Config): Promise<Config> {
  if (config.publicUrlGiven) return config;
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const recorded = await readInstallationSetting(db, SERVER_PUBLIC_URL);
    if (recorded === undefined) {
      process.stderr.write(`no server has started on this installation yet: URLs are for ${config.publicUrl} (set AVATARFORGE_PUBLIC_URL to choose)\n`);
      return config;
    }
    return { ...config, publicUrl: recorded };
  } finally {
    await db.destroy();
  }
}

/** Runs `work` with the admin service over the configured data dir (the server may be running on it too). */
async function withAdminService<T>(command: Command, work: (admin: AdminService) => Promise<T>): Promise<T> {
  const services = await openServices(await withServerPublicUrl(configFrom(command)), systemClock);
  try {
    return await work(services.admin);
  } finally {
    await services.db.destroy();
  }
}

function printActionResult(verb: string, result: AdminActionResult): void {
  process.stdout.write(`${verb} ${result.job_id}: state ${result.state}\n`);
  for (const [index, url] of (result.attachment_upload_url ?? []).entries()) {
    process.stdout.write(`  attachment ${index + 1} upload URL: ${url}\n`);
  }
}

const admin = program
  .command('admin')
  .description('review and operate jobs of every project (the admin API\'s twin, working on the data dir)');

admin
  .command('list')
  .description('list jobs by state, the longest unchanged first (default: the review queue, MANUAL_VERIFYING)')
  .option('--state <states>', 'job states separated by commas')
  .option('--project <id>', 'only this project\'s jobs')
  .option('--offset <n>', 'jobs to skip', '0')
  .option('--limit <n>', 'jobs to show, 1-100', '100')
  .option('--json', 'print JSON')
  .action(async (options: { state?: string; project?: string; offset: string; limit: string; json?: boolean }, command: Command) => {
    const listed = await withAdminService(command, (service) =>
      service.listJobs({ state: options.state, project_id: options.project, offset: Number(options.offset), limit: Number(options.limit) }),
    );
    if (options.json) {
      process.stdout.write(JSON.stringify(listed, null, 2) + '\n');
      return;
    }
    for (const job of listed.jobs) {
      process.stdout.write(`${job.job_id}  ${job.project_id}  ${job.state.padEnd(32)}  ${job.last_update_time}  ${job.name}\n`);
    }
    process.stdout.write(`${listed.jobs.length} of ${listed.count} jobs\n`);
  });

admin
  .command('show')
  .description('print a job as JSON: the tenant\'s Show body plus its pipeline work items')
  .argument('<job>', 'job id')
  .action(async (jobId: string, _options, command: Command) => {
    const shown = await withAdminService(command, (service) => service.showJob(jobId));
    process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  });

admin
  .command('approve')
  .description('approve a job in manual review; it is queued for preprocessing')
  .argument('<job>', 'job id')
  .option('--opinion <text>', 'review opinion (logged for the tenant)')
  .action(async (jobId: string, options: { opinion?: string }, command: Command) => {
    printActionResult('approved', await withAdminService(command, (service) => service.review(jobId, { decision: 'approve', opinion: options.opinion })));
  });

admin
  .command('reject')
  .description('reject a job in manual review; the tenant may update and resubmit it')
  .argument('<job>', 'job id')
  .requiredOption('--opinion <text>', 'why (logged for the tenant)')
  .action(async (jobId: string, options: { opinion: string }, command: Command) => {
    printActionResult('rejected', await withAdminService(command, (service) => service.review(jobId, { decision: 'reject', opinion: options.opinion })));
  });

admin
  .command('stop')
  .description('stop the pipeline stage the job is in or waits for')
  .argument('<job>', 'job id')
  .option('--reason <text>', 'why (logged)')
  .action(async (jobId: string, options: { reason?: string }, command: Command) => {
    printActionResult('stopped', await withAdminService(command, (service) => service.stop(jobId, options.reason)));
  });

admin
  .command('redo')
  .description('run the failed or stopped stage of a job again')
  .argument('<job>', 'job id')
  .option('--reason <text>', 'why (logged)')
  .action(async (jobId: string, options: { reason?: string }, command: Command) => {
    printActionResult('redone', await withAdminService(command, (service) => service.redo(jobId, options.reason)));
  });

admin
  .command('skip')
  .description('skip the test-video check a job waits for or failed in; the job goes on to asset sync')
  .argument('<job>', 'job id')
  .option('--reason <text>', 'why (logged)')
  .action(async (jobId: string, options: { reason?: string }, command: Command) => {
    printActionResult('skipped', await withAdminService(command, (service) => service.skip(jobId, options.reason)));
  });

admin
  .command('reset')
  .description('send a job that is not finished back to an earlier state; the pipeline resumes from there')
  .argument('<job>', 'job id')
  .addOption(new Option('--to <state>', 'the state to go back to').choices(ADMIN_RESET_TARGETS).makeOptionMandatory())
  .option('--reason <text>', 'why (logged)')
  .action(async (jobId: string, options: { to: AdminResetTarget; reason?: string }, command: Command) => {
    printActionResult('reset', await withAdminService(command, (service) => service.reset(jobId, options.to, options.reason)));
  });

admin
  .command('set-retries')
  .description('set the retrains left of a Flexus job (flexus_retry_count, 0-10)')
  .argument('<job>', 'job id')
  .argument('<count>', 'retrains left, 0-10')
  .action(async (jobId: string, count: string, _options, command: Command) => {
    const result = await withAdminService(command, (service) => service.setFlexusRetryCount(jobId, Number(count)));
    process.stdout.write(`set flexus_retry_count of ${result.job_id} to ${result.flexus_retry_count} (state ${result.state})\n`);
  });

admin
  .command('accept')
  .description('confirm a compiled model (WAIT_ADMIN_CONFIRM); the job goes on to asset sync')
  .argument('<job>', 'job id')
  .action(async (jobId: string, _options, command: Command) => {
    printActionResult('accepted', await withAdminService(command, (service) => service.accept(jobId)));
  });

program
  .command('worker')
  .description(
    'run pipeline stages: with --server, for a server elsewhere through its worker API (e.g. training on a GPU machine); ' +
      'without, straight against the configured database and store (next to `serve --no-workers` nodes)',
  )
  .option('--server <url>', 'base URL of the avatarforge server (AVATARFORGE_SERVER_URL)', process.env.AVATARFORGE_SERVER_URL)
  .option('--access-key <ak>', 'with --server: a worker access key, from keys create --role worker (AVATARFORGE_WORKER_ACCESS_KEY)', process.env.AVATARFORGE_WORKER_ACCESS_KEY)
  .option('--secret-key <sk>', 'with --server: its secret key (AVATARFORGE_WORKER_SECRET_KEY)', process.env.AVATARFORGE_WORKER_SECRET_KEY)
  .option('--stages <list>', `stages to run, comma-separated (with --server: ${EXTERNAL_STAGES.join(', ')}; without: AVATARFORGE_WORKER_STAGES, default all)`)
  .option('--command <command>', 'with --server: run as <command> <input dir> <output dir>, with AVATARFORGE_STAGE and AVATARFORGE_JOB_ID set (default: the reference trainer)')
  .option('--worker-id <name>', 'a name shown in logs and retry entries', `${os.hostname()}-${process.pid}`)
  .option('--poll-seconds <n>', 'with --server: wait between claims when there is no work', '2')
  .action(async (options: WorkerOptions, command: Command) => {
    if (options.server === undefined) return runDatabaseWorker(options, command);
    if (!options.accessKey || !options.secretKey || !options.stages) {
      throw new ConfigError('worker --server needs --access-key, --secret-key and --stages');
    }
    const stages = options.stages.split(',').map((stage) => stage.trim());
    const unknown = stages.filter((stage) => !(EXTERNAL_STAGES as readonly string[]).includes(stage));
    if (unknown.length > 0) throw new ConfigError(`--stages: ${unknown.join(', ')} cannot run in an external worker (choose from ${EXTERNAL_STAGES.join(', ')})`);
    const pollSeconds = Number(options.pollSeconds);
    if (!(pollSeconds > 0)) throw new ConfigError('--poll-seconds must be a positive number');
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    const log = (message: string) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);
    log(`worker ${options.workerId} running ${stages.join(', ')} for ${options.server}`);
    await runExternalWorker({
      serverUrl: options.server.replace(/\/+$/, ''),
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      stages,
      command: options.command ?? configFrom(command).referenceTrainer,
      workerId: options.workerId,
      pollIntervalMs: pollSeconds * 1000,
      log,
      signal: controller.signal,
    });
    log('worker stopped');
  });

program
  .command('copy-embedded')
  .description(
    'copy an embedded installation (SQLite and files in --from) into the configured PostgreSQL (AVATARFORGE_DATABASE_URL) ' +
      'and S3-compatible store (AVATARFORGE_S3_*); run it again to finish an interrupted copy (docs/deploy.md)',
  )
  .requiredOption('--from <dir>', 'the data dir of the embedded installation (stop its server first)')
  .action(async (options: { from: string }, command: Command) => {
    const config = configFrom(command);
    if (config.databaseUrl === undefined) throw new ConfigError('copy-embedded copies into PostgreSQL: set AVATARFORGE_DATABASE_URL (and AVATARFORGE_S3_* for the files)');
    const from = path.resolve(options.from);
    if (!fs.existsSync(path.join(from, 'avatarforge.sqlite'))) throw new ConfigError(`--from: ${from} holds no avatarforge.sqlite`);
    process.stdout.write(`copying ${from} into ${describeDatabase(config)}${config.s3 ? ` and ${config.s3.endpoint}/${config.s3.bucket}` : ''}\n`);
    const report = await copyEmbeddedInstallation(
      from,
      config,
      () => openBlobStore(config),
      progressPrinter(process.stderr),
    );
    const rows = Object.entries(report.rows).map(([table, count]) => `${table} ${count}`).join(', ');
    process.stdout.write(
      [
        `copied ${report.files} files (${report.bytes} bytes; ${report.filesAlreadyThere} already there)`,
        `copied rows: ${rows}`,
        `start every node with AVATARFORGE_MASTER_KEY set to the contents of ${path.join(from, 'master.key')}`,
      ].join('\n') + '\n',
    );
  });

program
  .command('render')
  .description('make a video of a trained model saying new speech: H.264 + AAC MP4 (docs/model-format.md)')
  .option('--job <id>', "a job's compiled model, from the configured database and store")
  .option('--model <dir>', 'a model directory (an unpacked model download)')
  .option('--audio <file>', 'the speech to say: any audio file ffmpeg reads')
  .option('--text <text>', 'text to say (English, Mandarin or both), spoken by a neural voice')
  .option('--voice <name>', "the voice that says --text (see `avatarforge voices`; default: the text's language's)")
  .addOption(new Option('--resolution <lines>', 'the video height (width for portrait models)').choices(['1080', '720']).default('1080'))
  .requiredOption('-o, --output <file>', 'the MP4 to write')
  .action(async (options: RenderOptions, command: Command) => {
    process.exitCode = await renderVideo(options, configFrom(command));
  });

program
  .command('say')
  .description('text spoken by a voice, into a WAV (docs/voices.md)')
  .requiredOption('--text <text>', 'the text to say (English, Mandarin or both)')
  .option('--voice <name>', "the voice (see `avatarforge voices`; default: the text's language's)")
  .requiredOption('-o, --output <file>', 'the WAV to write')
  .action(async (options: { text: string; voice?: string; output: string }, command: Command) => {
    process.exitCode = await sayText(options, configFrom(command));
  });

program
  .command('voices')
  .description('the voices that can say text: name, language, gender, engine (docs/voices.md)')
  .action(async (_options: unknown, command: Command) => {
    process.exitCode = await listVoices(configFrom(command));
  });

program
  .command('model')
  .description('models trained elsewhere')
  .command('import')
  .description('make a model directory (docs/model-format.md) a finished training job of a project; prints its job id and model asset id')
  .requiredOption('--dir <dir>', 'the model directory (an unpacked model download)')
  .requiredOption('--project <id>', 'the project it belongs to')
  .option('--app-user <id>', 'the app user it belongs to (X-App-UserId)')
  .option('--name <name>', 'the job name (default: the directory name)')
  .action(async (options: ImportModelOptions, command: Command) => {
    const imported = await importModel(options, configFrom(command));
    process.stdout.write(`job_id: ${imported.jobId}\nasset_id: ${imported.assetId}\n`);
  });

interface WorkerOptions {
  server?: string;
  accessKey?: string;
  secretKey?: string;
  stages?: string;
  command?: string;
  workerId: string;
  pollSeconds: string;
}

/** `worker` without --server: the pipeline runner on the configured database and store, until SIGINT/SIGTERM. */
async function runDatabaseWorker(options: WorkerOptions, command: Command): Promise<void> {
  const config = configFrom(command, { workers: 'true', ...(options.stages !== undefined && { workerStages: options.stages }) });
  const worker = await startPipelineWorker(config, options.workerId);
  process.stdout.write(`avatarforge worker ${options.workerId} running ${config.workerStages.join(', ')} on ${describeDatabase(config)}\n`);
  const stop = async (signal: string) => {
    process.stdout.write(`worker stopping (${signal})\n`);
    await worker.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`avatarforge: ${error.message}\n`);
    process.exit(2);
  }
  // A refused action (unknown job, wrong state, bad value): its message is the whole story.
  if (error instanceof ApiError) {
    process.stderr.write(`avatarforge: ${error.message} (${error.code})\n`);
    process.exit(1);
  }
  process.stderr.write(`avatarforge: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
