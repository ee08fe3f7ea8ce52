import { expect, it } from 'vitest';
import { runSoak } from '../soak/soak.ts';

// `npm run soak` runs many cycles; CI runs a few on every change.
it('kill -9 under load, a few times: nothing confirmed is lost, duplicated, reused or out of step', async () => {
  const r = await runSoak({ cycles: 3, seed: 7 });
  expect(r.problems).toEqual([]);
  expect({ lost: r.lost, duplicated: r.duplicated, idsReused: r.idsReused, mismatches: r.mismatches, chainFailures: r.chainFailures }).toEqual({ lost: 0, duplicated: 0, idsReused: 0, mismatches: 0, chainFailures: 0 });
  expect(r.confirmed.raises).toBeGreaterThan(5);
}, 180_000);
