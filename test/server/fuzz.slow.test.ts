import { fuzz } from './fuzz.js';

// The fuzzer (fuzz.ts) at full length: random methods, paths with malformed escapes, query
// strings, content types, encodings and bodies against a real listening server.
test('20,000 random requests: no 5xx, every error in JSON, every request answered', async () => {
  await fuzz(20_000);
});
