#!/usr/bin/env node
// The `sts` command: the compiled CLI (npm ci builds dist/ through the "prepare" script).
import { main } from '../dist/cli/main.js';

await main();
