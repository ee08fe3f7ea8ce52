import { writeFileSync } from 'node:fs';
import { forceConfigJsonSchema, FORCE_CONFIG_SCHEMA_PATH } from '../config/json-schema.ts';

/** `npm run config-schema`: regenerates the editor JSON Schema from the validator. */
writeFileSync(FORCE_CONFIG_SCHEMA_PATH, JSON.stringify(forceConfigJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${FORCE_CONFIG_SCHEMA_PATH}\n`);
