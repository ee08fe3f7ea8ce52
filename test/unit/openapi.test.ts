import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('the intake API description', () => {
  it('passes redocly lint (recommended rules) with no errors or warnings: servers, security scheme, licence', async () => {
    const out = await run('node_modules/.bin/redocly', ['lint', 'adapters/http/openapi.json', '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, timeout: 60_000,
    });
    // The JSON report is on stdout; Redocly's own notices (such as its Node 20 deprecation banner) go to stderr.
    const report = JSON.parse(out.stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
