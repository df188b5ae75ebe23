import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** Checks a line of the exposition without printing the whole of it on failure. */
function has(body: string, line: RegExp, why = line.source): void {
  assert.ok(line.test(body), why);
}

for (const engine of ENGINES) {
  describe(`GET /metrics (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { METRICS_TOKEN: TOKEN } });
    });
    after(async () => rt?.stop());

    const scrape = (options: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
      rt.app.inject({ method: 'GET', url: '/metrics', remoteAddress: options.remoteAddress ?? '127.0.0.1', headers: options.headers ?? {} });

    it('answers loopback peers in the Prometheus text format, with request durations by route pattern, queue, pool and sign-in failures', async () => {
      await signInAs(rt.app, rt.clock, 'devis.demo');
      await rt.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'devis.demo', password: 'faux-mot-de-passe-2026', otp: '000000' }, remoteAddress: '10.0.0.9' });
      await rt.app.inject({ method: 'GET', url: '/aide/une-page-qui-n-existe-pas-1234' });
      const later = new Date(rt.clock.now().getTime() + 3_600_000);
      await rt.ctx.db.insertInto('job').values({ kind: 'test.later', payload: '{}', run_at: later, created_at: rt.clock.now(), locked_at: null, locked_by: null, last_error: null, finished_at: null }).execute();
      const res = await scrape();
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const body = res.body;
      has(body, /^kairos_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/session",status_code="200"\} [1-9]/m);
      has(body, /^kairos_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/session",status_code="401"\} [1-9]/m);
      has(body, /^kairos_http_request_duration_seconds_count\{method="GET",route="\/aide\/:slug",status_code="404"\} 1$/m);
      assert.ok(!body.includes('une-page-qui-n-existe-pas'), 'never a raw URL');
      has(body, /^kairos_sign_in_failures_total\{reason="password"\} 1$/m);
      has(body, /^kairos_job_queue_depth\{status="pending"\} [1-9]/m, 'a job waits in the queue');
      has(body, /^kairos_job_queue_depth\{status="failed"\} 0$/m);
      has(body, /^kairos_db_pool_connections\{state="total"\} \d+$/m);
      has(body, /^# TYPE kairos_job_failures_total counter$/m);
      has(body, /^kairos_process_resident_memory_bytes \d+/m);
    });

    it('counts job failures by kind and outcome', async () => {
      rt.worker.register('test.always-fails', async () => {
        throw new Error('boom');
      });
      await rt.ctx.db.insertInto('job').values({ kind: 'test.always-fails', payload: '{}', run_at: rt.clock.now(), created_at: rt.clock.now(), locked_at: null, locked_by: null, last_error: null, finished_at: null }).execute();
      await rt.worker.runDue();
      has((await scrape()).body, /^kairos_job_failures_total\{kind="test.always-fails",outcome="retry"\} 1$/m);
    });

    it('is a 404 like any unknown page for other peers, and for proxied requests arriving from loopback', async () => {
      const unknown = await rt.app.inject({ method: 'GET', url: '/nexiste-pas', remoteAddress: '203.0.113.7' });
      for (const res of [
        await scrape({ remoteAddress: '203.0.113.7' }),
        await scrape({ remoteAddress: '10.0.0.2' }),
        await scrape({ headers: { 'x-forwarded-for': '203.0.113.7' } }),
        await scrape({ headers: { forwarded: 'for=203.0.113.7' } }),
        await scrape({ remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } }),
        await scrape({ remoteAddress: '203.0.113.7', headers: { authorization: TOKEN } }),
      ]) {
        assert.equal(res.statusCode, 404);
        assert.ok(!res.body.includes('kairos_'), 'no metric leaks');
        assert.equal(res.headers['content-type'], unknown.headers['content-type']);
      }
    });

    it('answers any peer bearing METRICS_TOKEN', async () => {
      const res = await scrape({ remoteAddress: '203.0.113.7', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.statusCode, 200);
      has(res.body, /kairos_http_request_duration_seconds/);
    });
  });
}

describe('GET /metrics behind a trusted proxy', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startTestRuntime('pglite', { env: { TRUST_PROXY: 'true' } });
  });
  after(async () => rt?.stop());

  it('does not take a forwarded request for a loopback one, whatever address it claims', async () => {
    for (const xff of ['203.0.113.7', '127.0.0.1', '127.0.0.1, 203.0.113.7']) {
      const res = await rt.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff } });
      assert.equal(res.statusCode, 404, xff);
    }
    const direct = await rt.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    assert.equal(direct.statusCode, 200, 'a scraper on the host itself still reads them');
  });

  it('has no token to accept when METRICS_TOKEN is unset', async () => {
    const res = await rt.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer ' } });
    assert.equal(res.statusCode, 404);
  });
});
