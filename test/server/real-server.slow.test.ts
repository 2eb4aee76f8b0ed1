import { builtFile, cleanupTempDirs } from '../helpers.js';
import { killStarted } from './processes.js';
import { sigtermDuringLargeBatch, stdoutNobodyReads } from './real-server-cases.js';

/** The real processes under load: a stdout nobody reads, and SIGTERM during a large batch (soaks, so in the slow tier only). */

beforeAll(() => void builtFile('server/main.js'), 120_000);
afterEach(killStarted);
afterAll(cleanupTempDirs);

test.each([['npm start'], ['sts serve']] as const)('%s: a stdout nobody reads holds up neither 1,500 requests nor the exit', (how) => stdoutNobodyReads(how, 1500), 60_000);

test('SIGTERM while a batch of 20,000 texts computes: the response still arrives whole', () => sigtermDuringLargeBatch(20_000), 60_000);
