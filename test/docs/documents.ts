import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The documents whose examples are checked: the README, BENCHMARKS.md and every page of docs/. */
export function documents(repo: string): string[] {
  const pages = readdirSync(path.join(repo, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f))
    .sort();
  return ['README.md', 'BENCHMARKS.md', ...pages];
}
