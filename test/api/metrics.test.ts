/**
 * GET /metrics on its own address (AVATARFORGE_METRICS_ADDRESS), read by a Prometheus text-format
 * parser: requests by route and status, throttled logins, the pipeline's queues and stage durations.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format';
import { makeVideo } from '../support/media.js';
import { createAndSubmit, PIPELINE_ENV, waitForState } from '../support/pipelineFlow.js';
import { assertSdkError, createSdkClient, sdkError, type SdkClient } from '../support/sdkClient.js';
import { makeTempDir, startTestServer, TEST_ACCESS_KEY, TEST_PROJECT_ID, type TestServer } from '../support/testServer.js';

async function scrape(server: TestServer): Promise<{ text: string; families: Map<string, PrometheusFamily> }> {
  const response = await fetch(server.metricsUrl!);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  return { text, families: new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family])) };
}

function sample(families: Map<string, PrometheusFamily>, name: string, labels: Record<string, string>): PrometheusSample | undefined {
  return families.get(name)?.metrics.find((metric) => Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value));
}

describe('metrics for operators', () => {
  let server: TestServer;
  let sdk: SdkClient;

  before(async () => {
    server = await startTestServer({
      env: { ...PIPELINE_ENV, AVATARFORGE_METRICS_ADDRESS: '127.0.0.1:0', AVATARFORGE_AUTH_FAILURE_LIMIT: '2' },
    });
    sdk = createSdkClient(server.url);
  });
  after(() => server.destroy());

  test('requests by route and status, throttled logins, queues and stage durations, in the Prometheus format', async () => {
    const media = makeTempDir('metrics-media');
    const jobId = await createAndSubmit(sdk, media, await makeVideo(media, { width: 1920, height: 1080, seconds: 4 }), 'metrics');
    await waitForState(sdk, jobId, ['MANUAL_VERIFYING', 'AUTO_VERIFY_FAILED']);
    await sdk.show(jobId);
    const guesser = createSdkClient(server.url, { ak: TEST_ACCESS_KEY, sk: 'not-the-secret-key-000000000000000000000', projectId: TEST_PROJECT_ID });
    for (let attempt = 0; attempt < 2; attempt++) assertSdkError(await sdkError(guesser.list()), 401, 'APIG.0301');
    assertSdkError(await sdkError(guesser.list()), 429, 'APIG.0308');

    const { text, families } = await scrape(server);
    const shows = sample(families, 'avatarforge_http_requests_total', { method: 'GET', route: '/v1/:project_id/digital-human-training-manage/user/jobs/:job_id', status: '200' });
    assert.ok(Number(shows?.value) >= 1, 'Show counted by its route pattern, not its URL');
    assert.ok(!families.get('avatarforge_http_requests_total')!.metrics.some((metric) => metric.labels?.route?.includes(jobId)), 'no job id in a label');
    assert.equal(families.get('avatarforge_http_request_duration_seconds')?.type, 'HISTOGRAM');
    assert.ok(Number(families.get('avatarforge_auth_throttled_total')?.metrics[0]?.value) >= 1);
    assert.equal(sample(families, 'avatarforge_uploads_active', {})?.value, '0');
    assert.ok(Number(sample(families, 'avatarforge_stage_work_items', { stage: 'auto_verify', status: 'done' })?.value) >= 1);
    // The parser keeps a histogram's buckets but not its labels: its count is read from its line.
    assert.equal(families.get('avatarforge_stage_duration_seconds')?.type, 'HISTOGRAM');
    assert.match(text, /^avatarforge_stage_duration_seconds_count\{stage="auto_verify",outcome="succeeded"\} 1$/m, 'the review ran once in this server');
    assert.ok(Number(sample(families, 'avatarforge_training_jobs', { state: 'MANUAL_VERIFYING' })?.value) >= 1);
    assert.ok(families.has('avatarforge_process_cpu_seconds_total'), "the process's own figures too");

    const elsewhere = await fetch(server.metricsUrl!.replace('/metrics', '/v1/jobs'));
    assert.equal(elsewhere.status, 404, 'the metrics address serves nothing else');
  });
});
