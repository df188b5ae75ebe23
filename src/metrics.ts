import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one running instance (served at /metrics). Each runtime has its own
 * registry, so that several runtimes in one process (tests) never share or clash. Labels are
 * bounded sets: route patterns, never raw URLs (they carry identifiers of people).
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  jobFailures: Counter<'kind' | 'outcome'>;
  signInFailures: Counter<'reason'>;
  databaseUnavailable: Counter<'source'>;
  /** Sources read at each scrape (queue depth from the job table, pool figures). */
  setCollectors(collectors: MetricCollectors): void;
}

export interface MetricCollectors {
  jobQueue(): Promise<Array<{ status: string; count: number }>>;
  pool(): { total: number; idle: number; waiting: number };
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kairos_' });
  let collectors: MetricCollectors | null = null;
  const httpDuration = new Histogram({
    name: 'kairos_http_request_duration_seconds',
    help: 'Duration of HTTP requests, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'kairos_job_failures_total',
    help: 'Failed job runs, by kind and outcome (retry: rescheduled; failed: given up)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const signInFailures = new Counter({
    name: 'kairos_sign_in_failures_total',
    help: 'Refused sign-in attempts by reason (unknown_login, password, second_factor, status_*, passkey_*, throttled)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const databaseUnavailable = new Counter({
    name: 'kairos_database_unavailable_total',
    help: 'Database outages met: requests answered 503, failed job polls, idle connection errors',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'kairos_job_queue_depth',
    help: 'Jobs in the queue by status (pending counts those not yet due too)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!collectors) return;
      try {
        for (const row of await collectors.jobQueue()) this.set({ status: row.status }, row.count);
      } catch {
        // The database is away: the gauge stays empty; kairos_database_unavailable_total tells why.
      }
    },
  });
  new Gauge({
    name: 'kairos_db_pool_connections',
    help: 'Database connections: total open, idle, and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (!collectors) return;
      const stats = collectors.pool();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  return {
    registry,
    httpDuration,
    jobFailures,
    signInFailures,
    databaseUnavailable,
    setCollectors(c) {
      collectors = c;
    },
  };
}
