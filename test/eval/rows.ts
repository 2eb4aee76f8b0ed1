import type { Prediction } from '../../src/eval/metrics.js';

/**
 * Seven rows at threshold 0.3:
 *   1 A→A match ✓ · 2 A→B match ✗ · 3 B→B ✓ · 4 B→B below threshold: noMatch ✗
 *   5 OOS→A match ✗ · 6 OOS→B below threshold: noMatch ✓ · 7 C→A match ✗
 */
export const ROWS: Prediction[] = [
  { gold: '/A', top: '/A', score: 0.9, text: 'one' },
  { gold: '/A', top: '/B', score: 0.8, text: 'two' },
  { gold: '/B', top: '/B', score: 0.7, text: 'three' },
  { gold: '/B', top: '/B', score: 0.1, text: 'four' },
  { gold: null, top: '/A', score: 0.6, text: 'five <b>' },
  { gold: null, top: '/B', score: 0.1, text: 'six' },
  { gold: '/C', top: '/A', score: 0.5, text: 'seven' },
];
