// Sequential request timings for the benches that report p50/p95 (growth, dashboard-scale).

/** The time of one GET read to its last byte, in ms; throws on any status but 200. */
export async function timed(target: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const res = await fetch(target, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${target}: ${res.status}`);
  return performance.now() - start;
}

/** The `q` quantile (0–1) of `times`, by rank. */
export const percentile = (times: number[], q: number) => [...times].sort((x, y) => x - y)[Math.floor(times.length * q)]!;
