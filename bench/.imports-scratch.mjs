const list = process.argv.slice(2);
const t0 = performance.now();
const out = [];
for (const m of list) { const s = performance.now(); await import(m); out.push([m, performance.now() - s]); }
console.log(out.map(([m, t]) => `${m}=${t.toFixed(0)}`).join(' '), 'TOTAL', (performance.now() - t0).toFixed(0));
