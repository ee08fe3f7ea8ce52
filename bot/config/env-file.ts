import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads settings from an `.env` file (ENV_FILE, else `./.env`) into the
 * environment, if there is one. A variable already set in the environment
 * wins, so a service manager's settings are never overridden by a stale
 * file. Returns the file loaded, to be logged by name (never its values).
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = resolve(env.ENV_FILE || '.env');
  if (!existsSync(path)) {
    if (env.ENV_FILE) throw new Error(`ENV_FILE ${path} does not exist.`);
    return undefined;
  }
  process.loadEnvFile(path);
  return path;
}
