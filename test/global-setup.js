// Jest globalSetup: the tests of real processes and worker threads run the compiled dist/
// (a worker thread runs no TypeScript), so dist/ is rebuilt here, once before any test file,
// when it is missing or older than a file of src/. `npm ci` builds it too (the prepare script).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return latest;
}

export default function globalSetup() {
  const built = path.join(repo, 'dist', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(path.join(repo, 'src'))) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
