import { join, resolve } from 'node:path';
import { verifyLog } from '../../data/verify-log.ts';

/**
 * `npm run verify-log [path]`: checks the decision log's hash chain.
 * Exits 0 when intact, 1 naming the first broken record, 2 when unreadable.
 */
const path = resolve(process.argv[2] ?? join(process.env.DATA_DIR || './var', 'decisions.jsonl'));
try {
  const result = await verifyLog(path);
  if (result.ok) {
    process.stdout.write(`Decision log intact: ${result.records} record(s) in ${path}\n`);
  } else {
    process.stdout.write(`Decision log BROKEN at line ${result.line}${result.seq !== undefined ? ` (seq ${result.seq})` : ''}: ${result.problem}\n` +
      `${result.records} record(s) before it are intact.\n`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`Cannot read decision log ${path}: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
