import { StartupError } from '../../data/data-dir.ts';
import { connectPool, databaseProblem, describeTarget } from '../../data/pg/connect.ts';
import { migrate } from '../../data/pg/migrate.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { readStorageSettings } from '../config/settings.ts';

/**
 * `npm run migrate`: brings the PostgreSQL schema (DATABASE_URL,
 * DATABASE_SCHEMA) up to this version's migrations. Bluedesk also does this
 * at start-up; running it first lets a change window apply and check the
 * schema before the new version takes traffic. Safe to run again.
 */
loadEnvFile();
const { database } = readStorageSettings();
if (!database) {
  process.stderr.write('DATABASE_URL is not set: there is nothing to migrate (lowdb under DATA_DIR needs no migration).\n');
  process.exit(2);
}
const pool = connectPool(database, 1);
try {
  const { applied, version } = await migrate(pool, database.schema);
  process.stdout.write(`${describeTarget(database)}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}; schema version ${version}\n`);
} catch (err) {
  process.stderr.write(`${(err instanceof StartupError ? err : databaseProblem(err, database)).message}\n`);
  process.exitCode = 78;
} finally {
  await pool.end();
}
