import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_MD, configurationReference, SECURITY_MD, withRoleMatrix } from '../../bot/cli/docs.ts';
import { POLICY } from '../../bot/domain/policy.ts';

describe('generated docs match the code (run npm run docs after changing the config schema or the policy table)', () => {
  it('the configuration reference lists every field of the force config', () => {
    const committed = readFileSync(CONFIGURATION_MD, 'utf8');
    expect(committed).toBe(configurationReference());
    for (const field of ['`records.retention.classes.<name>.afterDays`', '`appeals.urgent.remindEveryMinutes`', '`people[].managerId`', '`channels.<name>.slack[].channelId`']) expect(committed).toContain(field);
  });

  it('the security model’s role matrix is the policy table', () => {
    const committed = readFileSync(SECURITY_MD, 'utf8');
    expect(committed).toBe(withRoleMatrix(committed));
    for (const action of Object.keys(POLICY)) expect(committed).toContain(`(\`${action}\`)`);
  });
});
