import { readFileSync } from 'node:fs';

/** The intake API's OpenAPI 3.1 description, as committed next to this file. */
export const OPENAPI: Record<string, unknown> = JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'));
