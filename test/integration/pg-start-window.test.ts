import { afterAll, beforeAll, expect, it } from 'vitest';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import { describePg, freshSchema } from '../helpers/postgres.ts';

type Main = { escalations: Record<string, { id: string }>; outbox: Record<string, { id: string }> };
type Side = { conversations: Record<string, { id: string }> };

/**
 * An instance loads its stores one after another at start-up. Whatever
 * another instance commits in between (a raise into one store, a delivery
 * taking an outbox item away) must reach every store by the first sync:
 * the held-out runs lost an acknowledgement and posted an alert twice
 * because a later store's load marked rows as seen that an earlier store
 * had never loaded.
 */
await describePg('loading stores while another instance commits', () => {
  let target: Awaited<ReturnType<typeof freshSchema>>;
  let other: PgDatabase;
  let otherMain: PgStateStore<Main>;
  beforeAll(async () => {
    target = await freshSchema('window');
    other = await PgDatabase.open(target, { listen: false });
    otherMain = await PgStateStore.open<Main>(other, () => ({ escalations: {}, outbox: {} }));
    await PgStateStore.open<Side>(other, () => ({ conversations: {} }));
    await otherMain.update((s) => { s.outbox['OUT-1'] = { id: 'OUT-1' }; });
  });
  afterAll(async () => {
    await other?.close();
    await target?.drop();
  });

  it('a row committed between two stores loading reaches the first store, and a removal does too', async () => {
    const starting = await PgDatabase.open(target, { listen: false });
    try {
      const main = await PgStateStore.open<Main>(starting, () => ({ escalations: {}, outbox: {} }));
      expect(Object.keys(main.read().outbox)).toEqual(['OUT-1']);
      // Between the main store's load and the side store's: the other instance raises, and delivers (removes) the item.
      await otherMain.update((s) => { s.escalations['ESC-00377'] = { id: 'ESC-00377' }; delete s.outbox['OUT-1']; });
      await PgStateStore.open<Side>(starting, () => ({ conversations: {} }));
      await starting.sync();
      expect(Object.keys(main.read().escalations)).toEqual(['ESC-00377']);
      expect(Object.keys(main.read().outbox)).toEqual([]);
    } finally {
      await starting.close();
    }
  });
});
