/**
 * What operators watch, in the Prometheus format (prom-client): requests by route and status with
 * their latency, the pipeline's queues (work items per stage and status, the oldest queued item's
 * age), stage durations and outcomes, the renderer's real-time factor, trainer failures by kind,
 * throttled logins and uploads in progress. One registry per server, scraped on its own address
 * (metrics/listener.ts; docs/metrics.md).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { PipelineStatistics } from '../domain/pipelineSummary.js';
import type { TrainerFailureKind } from '../pipeline/trainerCommand.js';

export function createMetrics(deps: { statistics: Pick<PipelineStatistics, 'stageWorkByStatus' | 'oldestQueuedByStage' | 'jobsByState'>; clock: Clock }) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'avatarforge_' });

  const requests = new Counter({ name: 'avatarforge_http_requests_total', help: 'HTTP requests answered, by method, route and status.', labelNames: ['method', 'route', 'status'], registers });
  const requestSeconds = new Histogram({
    name: 'avatarforge_http_request_duration_seconds',
    help: 'Time from a request to its answer, by method and route.',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers,
  });
  const throttled = new Counter({ name: 'avatarforge_auth_throttled_total', help: 'Requests refused because their address or key kept failing authentication (429).', registers });
  const uploads = new Gauge({ name: 'avatarforge_uploads_active', help: 'Uploads to signed URLs in progress.', registers });
  const stageSeconds = new Histogram({
    name: 'avatarforge_stage_duration_seconds',
    help: "Time a stage took in this server's workers, by stage and outcome.",
    labelNames: ['stage', 'outcome'],
    buckets: [0.1, 1, 5, 15, 60, 180, 600, 1800, 3600, 10800],
    registers,
  });
  const trainerFailures = new Counter({
    name: 'avatarforge_trainer_failures_total',
    help: 'Stages the trainer failed, by stage and kind: reason (a reason the user can act on), internal_error (a bug), signal (killed).',
    labelNames: ['stage', 'kind'],
    registers,
  });
  const realTimeFactor = new Histogram({
    name: 'avatarforge_render_real_time_factor',
    help: 'Render time over video length of the videos this server rendered (as the reference renderer reports it).',
    buckets: [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 4],
    registers,
  });

  new Gauge({
    name: 'avatarforge_stage_work_items',
    help: 'Pipeline work items by stage and status (queued, leased, done, failed, cancelled).',
    labelNames: ['stage', 'status'],
    registers,
    async collect() {
      this.reset();
      for (const row of await deps.statistics.stageWorkByStatus()) this.set({ stage: row.stage, status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'avatarforge_stage_oldest_queued_seconds',
    help: 'Age of the oldest queued work item, by stage (stages with nothing queued are left out).',
    labelNames: ['stage'],
    registers,
    async collect() {
      this.reset();
      const now = deps.clock.now().getTime();
      for (const row of await deps.statistics.oldestQueuedByStage()) this.set({ stage: row.stage }, Math.max(0, (now - row.oldest) / 1000));
    },
  });
  new Gauge({
    name: 'avatarforge_training_jobs',
    help: 'Training jobs by state, every project.',
    labelNames: ['state'],
    registers,
    async collect() {
      this.reset();
      for (const row of await deps.statistics.jobsByState()) this.set({ state: row.state }, row.count);
    },
  });

  return {
    registry,
    requestAnswered(method: string, route: string, status: number, seconds: number): void {
      requests.inc({ method, route, status: String(status) });
      requestSeconds.observe({ method, route }, seconds);
      if (status === 429) throttled.inc();
    },
    /** An upload began; the function it answers marks its end (call it once). */
    uploadStarted(): () => void {
      uploads.inc();
      return () => uploads.dec();
    },
    stageFinished(stage: string, outcome: string, seconds: number, failure?: TrainerFailureKind): void {
      stageSeconds.observe({ stage, outcome }, seconds);
      if (failure) trainerFailures.inc({ stage, kind: failure });
    },
    videoRendered(realTime: number): void {
      realTimeFactor.observe(realTime);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
