import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forceConfigSchema, type ForceConfig } from './schema.ts';

/** The example config shipped with the repo; the quick start runs on it. */
export const EXAMPLE_CONFIG = fileURLToPath(new URL('./example-force.json', import.meta.url));

/** A config that failed validation; the message lists each bad field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates a force config file, naming every bad field. */
export function loadForceConfig(path: string): ForceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read force config ${path}: ${(err as Error).message}`);
  }
  return parseForceConfig(raw, path);
}

/** Validates an already-parsed config object. */
export function parseForceConfig(raw: unknown, source = 'config'): ForceConfig {
  const result = forceConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
  throw new ConfigError(`Force config ${source} is not valid:\n${lines.join('\n')}`);
}
