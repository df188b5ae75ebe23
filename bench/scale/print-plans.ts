// What the EXPLAIN scripts of bench/scale print for one route: each statement the request sends,
// with its execution time, its scans (relation, index, rows) and its start.
import type { TestRuntime } from '../../test/helpers/runtime.js';
import { explain, planNodes, readsOf } from '../../test/helpers/query-plans.js';

type Runtime = Pick<TestRuntime, 'app' | 'ctx'>;

export async function printRoutePlans(rt: Runtime, route: { name: string; url: string }, headers: Record<string, string>): Promise<void> {
  const { result, reads } = await readsOf(() => rt.app.inject({ method: 'GET', url: route.url, headers }));
  console.log(`\n## ${route.name} (${route.url}) → ${result.statusCode}`);
  for (const read of reads) {
    const plan = await explain(rt.ctx.db, read, true);
    const scans = planNodes(plan)
      .filter((n) => /Scan/.test(n['Node Type']))
      .map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${String(n['Index Name'])}` : ''} (rows ${String(n['Actual Rows'])})`);
    console.log(`- ${plan['Actual Total Time']?.toFixed(2)} ms: ${read.text.replace(/\s+/g, ' ').slice(0, 160)}\n    ${scans.join('; ')}`);
  }
}
