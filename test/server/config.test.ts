import { serverConfigFromEnv, workerCount } from '../../src/server/config.js';
import { stsErrorOf } from '../helpers.js';

/** The fleet's settings from the environment (and `sts serve` flags): defaults, and errors that name the variable. */

describe('fleet settings', () => {
  test('defaults: one worker, the models folder, a 1024 MB model budget, a 10 s re-check', () => {
    expect(serverConfigFromEnv({})).toMatchObject({ workers: 1, modelMemoryMb: 1024, storeRecheckMs: 10_000 });
    expect(serverConfigFromEnv({}).store).toBeUndefined();
  });

  test('STS_WORKERS=auto is a core per event loop and per classify thread; a number is that many; --workers wins over the variable', () => {
    expect(workerCount(serverConfigFromEnv({ STS_WORKERS: 'auto' }).workers, 2, 1)).toBe(1);
    expect(workerCount(serverConfigFromEnv({ STS_WORKERS: 'auto' }).workers, 8, 1)).toBe(4);
    expect(workerCount(serverConfigFromEnv({ STS_WORKERS: 'auto' }).workers, 8, 3)).toBe(2);
    expect(workerCount(serverConfigFromEnv({ STS_WORKERS: 'auto' }).workers, 2, 0)).toBe(2);
    expect(workerCount(serverConfigFromEnv({ STS_WORKERS: '3' }).workers, 2)).toBe(3);
    expect(serverConfigFromEnv({ STS_WORKERS: '3' }, { workers: '1' }).workers).toBe(1);
  });

  test.each([
    [{ STS_WORKERS: '0' }, {}, 'STS_WORKERS'],
    [{ STS_WORKERS: 'many' }, {}, 'STS_WORKERS'],
    [{}, { workers: '-1' }, '--workers'],
    [{ STS_MODEL_MEMORY_MB: '0.5' }, {}, 'STS_MODEL_MEMORY_MB'],
    [{ STS_STORE_RECHECK_MS: '10' }, {}, 'STS_STORE_RECHECK_MS'],
  ])('%j %j → invalid_settings naming %s', (env, flags, name) => {
    const e = stsErrorOf(() => serverConfigFromEnv(env, flags));
    expect(e.code).toBe('invalid_settings');
    expect(e.message.startsWith(`${name} must be`)).toBe(true);
  });

  test('STS_STORE takes a postgres:// URL; another URL is refused without echoing it (it may hold a password)', () => {
    expect(serverConfigFromEnv({ STS_STORE: ' postgres://sts:pw@db:5432/sts ' }).store).toBe('postgres://sts:pw@db:5432/sts');
    expect(serverConfigFromEnv({ STS_STORE: 'postgresql://db/sts' }).store).toBe('postgresql://db/sts');
    const e = stsErrorOf(() => serverConfigFromEnv({ STS_STORE: 'mysql://root:hunter2@db/sts' }));
    expect(e.message).toBe('STS_STORE must be a postgres:// URL, got another kind of URL');
    expect(e.message).not.toContain('hunter2');
  });
});
