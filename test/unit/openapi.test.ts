import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('the intake API description', () => {
  it('passes redocly lint (recommended rules) with no errors or warnings: servers, security scheme, licence', async () => {
    const out = await run('node_modules/.bin/redocly', ['lint', 'adapters/http/openapi.json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, timeout: 60_000,
    });
    const said = out.stdout + out.stderr;
    expect(said).toContain('Your API description is valid');
    expect(said).not.toMatch(/warning/i);
  }, 60_000);
});
