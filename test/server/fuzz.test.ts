import { fuzz } from './fuzz.js';

// A sample of the fuzzer (fuzz.ts); the slow tier sends 20,000 requests (fuzz.slow.test.ts).
test('300 random requests: no 5xx, every error in JSON, every request answered', async () => {
  await fuzz(300);
});
