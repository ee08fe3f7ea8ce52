import { afterAll } from 'vitest';
import { stopAll } from './processes.ts';

// Every test file stops the processes it started when it ends, passed, failed or timed out.
afterAll(() => stopAll());
