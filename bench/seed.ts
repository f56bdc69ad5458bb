/**
 * Fills a data dir with 1,000,000 training jobs for the benchmark, shaped exactly as the job store
 * writes them (src/store/trainingJobStore.ts `toRow`, and Create's attributes), plus one
 * USER_CREATE_JOD operation log per job and the tag rows; and the tenant's 100,000 assets with
 * their files (bench/seedAssets.ts).
 *
 * The schema comes from the server's own migrations; rows go in through raw better-sqlite3 prepared
 * statements in large transactions, because a million Kysely round trips would take many minutes.
 * A marker file records what was seeded: an intact data dir with the same layout is reused as is.
 * The rows come from `generateJobs`, which bench/seedPostgres.ts uses too.
 *
 * Run alone with `node dist/bench/seed.js [data-dir]`; `npm run bench` calls it first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { migrateToLatest, openSqliteDatabase } from '../src/store/database.js';
import type { ProjectsTable, TrainingJobsTable } from '../src/store/schema.js';
import { randomSource } from './randomSource.js';
import { ASSET_COLUMNS, ASSET_FILE_COLUMNS, ASSET_LAYOUT, JOB_FILE_COLUMNS, generateAssets } from './seedAssets.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, 'bench', '.data', 'million');

/** The benchmark's tenant: its project holds a fifth of all jobs. */
export const BENCH_TENANT = {
  projectId: projectIdOf(0),
  accessKey: 'AKBENCH0000000000001',
  secretKey: 'SKbenchSecretKeyForTheBenchmark000000001',
} as const;

export const LAYOUT = {
  /**
   * Bumped whenever the generated data changes shape, so that a stale cache is rebuilt.
   * 2: tag rows carry their job's project and times, as the job store writes them.
   * 3: the tenant's 100,000 assets.
   */
  version: 3,
  totalJobs: 1_000_000,
  tenantJobs: 200_000,
  tenantAssets: ASSET_LAYOUT.tenantAssets,
  otherProjects: 80,
  batchNames: 50,
  tags: 20,
} as const;

export const BATCH_NAMES = Array.from({ length: LAYOUT.batchNames }, (_, index) => `batch-${String(index + 1).padStart(2, '0')}`);
export const TAGS = Array.from({ length: LAYOUT.tags }, (_, index) => `tag-${String(index + 1).padStart(2, '0')}`);

/** States with the weight of each among seeded jobs: mostly finished, a tail in every stage. */
const STATE_WEIGHTS: Array<[string, number]> = [
  ['JOB_SUCCESS', 35],
  ['JOB_FINISH', 20],
  ['WAIT_FILE_UPLOAD', 8],
  ['WAIT_USER_CONFIRM', 8],
  ['TRAINING', 7],
  ['MANUAL_VERIFY_FAILED', 6],
  ['MANUAL_VERIFYING', 5],
  ['TRAIN_FAILED', 4],
  ['JOB_REJECT', 4],
  ['AUTO_VERIFYING', 3],
];

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
const APP_USERS = 500;
const BATCH_SIZE = 50_000;
const MODEL_NAMES = ['anchor', 'host', 'teacher', 'presenter', 'guide', 'agent', 'avatar', 'speaker', 'tutor', 'narrator'];

interface SeedMarker {
  version: number;
  totalJobs: number;
  tenantProjectId: string;
  /** The "now" the create and update times were spread back from (epoch ms). */
  anchorTime: number;
  seededAt: string;
  seedSeconds: number;
}

export interface SeedResult {
  dataDir: string;
  reused: boolean;
  seedSeconds: number;
  marker: SeedMarker;
}

/** 32 hex digits, like the server's own project ids. */
function projectIdOf(index: number): string {
  return `be4c${index.toString(16).padStart(4, '0')}${'0'.repeat(23)}1`;
}

function markerPath(dataDir: string): string {
  return path.join(dataDir, 'bench-seed.json');
}

function readMarker(dataDir: string): SeedMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(markerPath(dataDir), 'utf8')) as SeedMarker;
  } catch {
    return undefined;
  }
}

/** Seeds `dataDir` unless it already holds this layout's million jobs. */
export async function ensureSeeded(dataDir: string = DEFAULT_DATA_DIR, log: (line: string) => void = console.log): Promise<SeedResult> {
  const marker = readMarker(dataDir);
  const databaseFile = path.join(dataDir, 'avatarforge.sqlite');
  if (marker && marker.version === LAYOUT.version && marker.totalJobs === LAYOUT.totalJobs && fs.existsSync(databaseFile)) {
    const sqlite = new SqliteDatabase(databaseFile, { readonly: true });
    try {
      const { count } = sqlite.prepare('SELECT count(*) AS count FROM training_jobs').get() as { count: number };
      const { assets } = sqlite.prepare('SELECT count(*) AS assets FROM assets').get() as { assets: number };
      if (count === LAYOUT.totalJobs && assets === LAYOUT.tenantAssets) {
        log(`seed: reusing ${dataDir} (${count.toLocaleString('en')} jobs, ${assets.toLocaleString('en')} assets, seeded ${marker.seededAt} in ${marker.seedSeconds.toFixed(1)} s)`);
        return { dataDir, reused: true, seedSeconds: 0, marker };
      }
      log(`seed: ${dataDir} holds ${count} jobs and ${assets} assets, not ${LAYOUT.totalJobs} and ${LAYOUT.tenantAssets}; seeding again`);
    } finally {
      sqlite.close();
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  return seed(dataDir, log);
}

async function seed(dataDir: string, log: (line: string) => void): Promise<SeedResult> {
  const started = process.hrtime.bigint();
  const db = openSqliteDatabase(dataDir);
  await migrateToLatest(db);
  await db.destroy();

  const sqlite = new SqliteDatabase(path.join(dataDir, 'avatarforge.sqlite'));
  // A throw-away build: durability does not matter until the final checkpoint.
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('temp_store = MEMORY');

  const insertProject = sqlite.prepare('INSERT OR IGNORE INTO projects (project_id, name, created_at) VALUES (?, ?, ?)');
  const insertJob = sqlite.prepare(
    `INSERT INTO training_jobs (job_id, project_id, app_user_id, name, state, batch_name, model_resolution, train_location,
       is_flexus, is_live_copy, is_ondemand_resource, create_time, last_update_time, version, attributes)
     VALUES (@job_id, @project_id, @app_user_id, @name, @state, @batch_name, @model_resolution, @train_location,
       @is_flexus, @is_live_copy, @is_ondemand_resource, @create_time, @last_update_time, @version, @attributes)`,
  );
  const insertLog = sqlite.prepare(
    `INSERT INTO operation_logs (job_id, operate_time, log_type, operate_user, log_description, error_code, redo_reasons)
     VALUES (?, ?, 'USER_CREATE_JOD', 'USER', NULL, NULL, NULL)`,
  );
  const insertTag = sqlite.prepare('INSERT INTO training_job_tags (job_id, tag, project_id, create_time, last_update_time) VALUES (?, ?, ?, ?, ?)');

  const anchorTime = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  sqlite.transaction(() => {
    for (const project of seededProjects(anchorTime)) insertProject.run(project.project_id, project.name, project.created_at);
  })();

  const jobs = generateJobs(anchorTime);
  const insertBatch = sqlite.transaction((count: number) => {
    for (let index = 0; index < count; index++) {
      const { row, tags } = jobs.next().value as SeededJob;
      insertJob.run(row);
      insertLog.run(row.job_id, row.create_time);
      for (const tag of tags) insertTag.run(row.job_id, tag, row.project_id, row.create_time, row.last_update_time);
    }
  });

  log(`seed: writing ${LAYOUT.totalJobs.toLocaleString('en')} jobs into ${dataDir}`);
  for (let from = 0; from < LAYOUT.totalJobs; from += BATCH_SIZE) {
    const to = Math.min(LAYOUT.totalJobs, from + BATCH_SIZE);
    insertBatch(to - from);
    if (to % 100_000 === 0) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      log(`seed: ${to.toLocaleString('en').padStart(9)} jobs  ${seconds.toFixed(1).padStart(6)} s`);
    }
  }

  const insertAsset = sqlite.prepare(`INSERT INTO assets (${ASSET_COLUMNS.join(', ')}) VALUES (${ASSET_COLUMNS.map((column) => `@${column}`).join(', ')})`);
  const insertAssetFile = sqlite.prepare(`INSERT INTO asset_files (${ASSET_FILE_COLUMNS.join(', ')}) VALUES (${ASSET_FILE_COLUMNS.map((column) => `@${column}`).join(', ')})`);
  const insertJobFile = sqlite.prepare(`INSERT INTO job_files (${JOB_FILE_COLUMNS.join(', ')}) VALUES (${JOB_FILE_COLUMNS.map((column) => `@${column}`).join(', ')})`);
  log(`seed: writing ${LAYOUT.tenantAssets.toLocaleString('en')} assets of the tenant`);
  sqlite.transaction(() => {
    for (const { row, files, jobFiles } of generateAssets(BENCH_TENANT.projectId, anchorTime, TAGS)) {
      insertAsset.run(row);
      for (const file of files) insertAssetFile.run(file);
      for (const file of jobFiles) insertJobFile.run(file);
    }
  })();
  log(`seed: assets written  ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1).padStart(6)} s`);

  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.close();

  const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const marker: SeedMarker = {
    version: LAYOUT.version,
    totalJobs: LAYOUT.totalJobs,
    tenantProjectId: BENCH_TENANT.projectId,
    anchorTime,
    seededAt: new Date().toISOString(),
    seedSeconds,
  };
  fs.writeFileSync(markerPath(dataDir), JSON.stringify(marker, null, 2) + '\n');
  log(`seed: done in ${seedSeconds.toFixed(1)} s`);
  return { dataDir, reused: false, seedSeconds, marker };
}

/** The projects: the tenant's first, then the others. */
export function seededProjects(anchorTime: number): Array<Insertable<ProjectsTable>> {
  return Array.from({ length: LAYOUT.otherProjects + 1 }, (_, project) => ({
    project_id: projectIdOf(project),
    name: project === 0 ? 'bench tenant' : `project-${project}`,
    created_at: anchorTime - YEAR_MS - DAY_MS,
  }));
}

/** One seeded job: its row, and its tags (also in `attributes`), each of which gets a tag row. */
export interface SeededJob {
  row: TrainingJobsTable;
  tags: string[];
}

/**
 * The benchmark's jobs in creation order, the same on every call and every machine for the same
 * anchor time: the SQLite and PostgreSQL seeds write identical data. Each job also gets one
 * USER_CREATE_JOD operation log at its create time.
 */
export function* generateJobs(anchorTime: number): Generator<SeededJob, void, undefined> {
  const random = randomSource(20240101);
  const firstCreateTime = anchorTime - YEAR_MS;
  const projectCount = LAYOUT.otherProjects + 1;

  // Exactly tenantJobs jobs in project 0, the rest evenly over the others, in shuffled order.
  const projectOfJob = new Uint8Array(LAYOUT.totalJobs);
  const perOtherProject = (LAYOUT.totalJobs - LAYOUT.tenantJobs) / LAYOUT.otherProjects;
  for (let index = LAYOUT.tenantJobs; index < LAYOUT.totalJobs; index++) {
    projectOfJob[index] = 1 + Math.floor((index - LAYOUT.tenantJobs) / perOtherProject);
  }
  for (let index = LAYOUT.totalJobs - 1; index > 0; index--) {
    const other = random.integer(index + 1);
    [projectOfJob[index], projectOfJob[other]] = [projectOfJob[other]!, projectOfJob[index]!];
  }
  const jobsSoFar = new Uint32Array(projectCount);
  const stateTotal = STATE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickState = (): string => {
    let roll = random.integer(stateTotal);
    for (const [state, weight] of STATE_WEIGHTS) {
      if (roll < weight) return state;
      roll -= weight;
    }
    return STATE_WEIGHTS[0]![0];
  };

  for (let index = 0; index < LAYOUT.totalJobs; index++) {
    const project = projectOfJob[index]!;
    const ordinal = ++jobsSoFar[project]!;
    const jobId = random.hexId();
    // Jobs arrive in time order over a year, a few minutes of jitter apart.
    const createTime = Math.floor(firstCreateTime + (index / LAYOUT.totalJobs) * YEAR_MS + random.integer(60_000));
    const state = pickState();
    const touched = state !== 'WAIT_FILE_UPLOAD';
    const lastUpdateTime = touched ? Math.min(anchorTime, createTime + random.integer(14 * DAY_MS)) : createTime;
    const version = touched ? 2 + random.integer(7) : 1;
    const appUserId = random.next() < 0.2 ? `app-user-${String(random.integer(APP_USERS)).padStart(4, '0')}` : null;

    const flexusRoll = random.next();
    const isFlexus = flexusRoll < 0.1 ? true : flexusRoll < 0.4 ? false : undefined;
    const isLiveCopy = random.next() < 0.05 ? true : undefined;
    const isOndemandResource = random.next() < 0.1 ? true : undefined;
    const batchName = random.next() < 0.9 ? BATCH_NAMES[random.integer(BATCH_NAMES.length)] : undefined;
    const tagCount = random.integer(4);
    const tags = tagCount === 0 ? undefined : [...new Set(Array.from({ length: tagCount }, () => TAGS[random.integer(TAGS.length)]!))];

    // The keys and their order of Create's attributes (trainingJobService.createJob), undefined ones left out.
    const attributes = withoutUndefined({
      contact: random.next() < 0.5 ? `1380000${String(random.integer(10_000)).padStart(4, '0')}` : undefined,
      batch_name: batchName,
      tags,
      model_version: random.next() < 0.85 ? 'V3.2' : 'V3',
      matting_type: 'AI',
      model_resolution: '1080P',
      is_flexus: isFlexus,
      is_fast_flexus: undefined,
      is_live_copy: isLiveCopy,
      is_only_human_model: random.next() < 0.1,
      is_background_replacement: random.next() < 0.8,
      is_ondemand_resource: isOndemandResource,
      audio_source_type: undefined,
      voice_properties: undefined,
      supported_service: isFlexus ? ['VIDEO_2D'] : ['VIDEO_2D', 'LIVE_2D'],
      beauty_level: 0,
      is_mask_file_uploaded: false,
      flexus_retry_count: isFlexus ? 3 : undefined,
      command_message: 'UPLOAD_VIDEO',
      video_multipart_count: 1 + random.integer(4),
      action_video_multipart_count: 1,
    });

    yield {
      row: {
        job_id: jobId,
        project_id: projectIdOf(project),
        app_user_id: appUserId,
        name: `${MODEL_NAMES[random.integer(MODEL_NAMES.length)]}-${ordinal}`,
        state,
        batch_name: batchName ?? null,
        model_resolution: '1080P',
        train_location: null,
        is_flexus: flag(isFlexus),
        is_live_copy: flag(isLiveCopy),
        is_ondemand_resource: flag(isOndemandResource),
        create_time: createTime,
        last_update_time: lastUpdateTime,
        version,
        attributes: JSON.stringify(attributes),
        asset_id: null,
      },
      tags: tags ?? [],
    };
  }
}

function flag(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureSeeded(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_DATA_DIR).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
