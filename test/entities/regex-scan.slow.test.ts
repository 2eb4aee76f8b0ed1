import { scannerMatchesUsualLoop } from './regex-property.js';

test('the regex scanner finds exactly the matches of the usual loop (20,000 random patterns and texts)', () => {
  scannerMatchesUsualLoop(20_000);
});
