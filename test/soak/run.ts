/**
 * `npm run soak -- --cycles 100`: kill -9 the real server N times under a
 * mixed load, restart it each time, and count what was lost, duplicated or
 * out of step. Exits 1 if any count is not zero. Loopback only; bounded by N.
 */
import { runSoak } from './soak.ts';

const at = process.argv.indexOf('--cycles');
const cycles = at >= 0 ? Number(process.argv[at + 1]) : 20;
if (!Number.isInteger(cycles) || cycles < 1) {
  process.stderr.write('usage: npm run soak -- --cycles <N>\n');
  process.exit(2);
}
const t0 = Date.now();
const r = await runSoak({ cycles, seed: Number(process.env.SOAK_SEED ?? 1), log: (l) => process.stdout.write(`${l}\n`) });
const rows: Array<[string, string | number]> = [
  ['kill -9 cycles', r.cycles],
  ['confirmed raises', r.confirmed.raises],
  ['confirmed acknowledgements', r.confirmed.acknowledgements],
  ['confirmed decisions', r.confirmed.decisions],
  ['confirmed account requests', r.confirmed.accountRequests],
  ['confirmed account approvals', r.confirmed.approvals],
  ['confirmed leaver cases', r.confirmed.leaverCases],
  ['confirmed leaver ticks', r.confirmed.ticks],
  ['lost', r.lost],
  ['duplicated', r.duplicated],
  ['ids reused', r.idsReused],
  ['log/state mismatches', r.mismatches],
  ['chain failures', r.chainFailures],
  ['recovery (restart to serving), mean / max', `${r.recoveryMs.mean} ms / ${r.recoveryMs.max} ms`],
  ['run time', `${Math.round((Date.now() - t0) / 1000)} s`],
];
process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(44)} ${v}`).join('\n')}\n`);
for (const p of r.problems.slice(0, 20)) process.stdout.write(`  ! ${p}\n`);
process.exit(r.lost + r.duplicated + r.idsReused + r.mismatches + r.chainFailures === 0 ? 0 : 1);
