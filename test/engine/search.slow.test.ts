import { ALL, searchSweeps } from './search-sweeps.js';

// Every settings variant over every text (search.test.ts runs a sample).
searchSweeps(ALL);
