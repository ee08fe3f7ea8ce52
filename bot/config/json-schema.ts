import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { forceConfigSchema } from './schema.ts';

/** Where the committed editor schema lives, next to the example config. */
export const FORCE_CONFIG_SCHEMA_PATH = fileURLToPath(new URL('./force-config.schema.json', import.meta.url));

/** The JSON Schema editors use to autocomplete and check a force config; generated from the validator so they never drift. */
export function forceConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(forceConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Bluedesk force configuration',
  };
}
