import { existsSync, readFileSync, rmSync } from 'node:fs';

/**
 * The test run's last word on processes: every process a test started (their
 * ids are listed in BLUEDESK_TEST_PIDS as they start) is killed with its
 * process group when the run ends, however it ends, so a test that timed out
 * or a worker that was killed leaves no server behind.
 */
export default function setup(): () => void {
  return () => {
    const registry = process.env.BLUEDESK_TEST_PIDS;
    if (!registry || !existsSync(registry)) return;
    for (const pid of readFileSync(registry, 'utf8').split('\n').filter(Boolean).map(Number)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    rmSync(registry, { force: true });
  };
}
