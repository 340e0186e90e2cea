// Long fuzz runs: every fuzz/*.fuzz.ts in its own process. Usage: npm run fuzz [-- substring ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

const filters = process.argv.slice(2);
const files = existsSync('fuzz') ? readdirSync('fuzz').filter((f) => f.endsWith('.fuzz.ts')).sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))) : [];
let failed = 0;
for (const f of files) {
  console.log(`\n=== fuzz/${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `fuzz/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
