// Phase timestamps of a start, on stderr, when KAIROS_START_TRACE is set: where a start spends its
// time (docs/performance.md, « Start-up time »), without a profiler. Silent and nearly free otherwise.
const enabled = Boolean(process.env.KAIROS_START_TRACE);

/** Writes `[start] <ms since the process began> <label>` to stderr when tracing. */
export function startMark(label: string): void {
  if (!enabled) return;
  const mem = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1048576);
  process.stderr.write(
    `[start] ${performance.now().toFixed(0).padStart(6)} ms  ${label}  (rss ${mb(mem.rss)} heap ${mb(mem.heapUsed)}/${mb(mem.heapTotal)} external ${mb(mem.external)} MB)\n`,
  );
}
