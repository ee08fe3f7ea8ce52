import { join } from 'node:path';
import { JournaledStateStore } from './journal-store.ts';
import { dictionaries, type StateStore } from './state-store.ts';

/**
 * Opens the small side files beside state.json, each holding one slice the
 * busiest requests write (dialog sessions, conversation references, seen
 * event ids), so those writes never touch the registers. Each is journaled
 * (data/journal-store.ts): a write appends the entries it changed. None of
 * them is part of a decision: they are not in the write-ahead log and need no
 * atomicity with state. A slice an older state.json still holds is moved
 * across once: written to its file first, then dropped from state, so a
 * crash in between only moves it again.
 */
export async function openSideStores<M extends Record<string, { file: string; key: string }>>(
  dataDir: string,
  files: M,
  main: StateStore<Record<string, unknown>>,
): Promise<{ [K in keyof M]: JournaledStateStore<Record<string, Record<string, unknown>>> }> {
  const out: Record<string, JournaledStateStore<Record<string, Record<string, unknown>>>> = {};
  for (const [name, { file, key }] of Object.entries(files)) {
    const side = await JournaledStateStore.open<Record<string, Record<string, unknown>>>(join(dataDir, file), () => dictionaries({ [key]: {} }));
    const legacy = main.read()[key] as Record<string, unknown> | undefined;
    if (legacy && Object.keys(legacy).length) {
      await side.update((s) => { for (const [id, v] of Object.entries(legacy)) if (!Object.hasOwn(s[key]!, id)) s[key]![id] = v; });
      await main.update((s) => { s[key] = Object.create(null); });
    }
    out[name] = side;
  }
  return out as { [K in keyof M]: JournaledStateStore<Record<string, Record<string, unknown>>> };
}
