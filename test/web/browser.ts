import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { builtFile, REPO, tempDir } from '../helpers.js';

/**
 * A real browser for the page and report tests: Debian's chromium (`apt-get install chromium`;
 * .ci/run installs it), driven by playwright-core, headless, with a fresh profile and nothing
 * that reaches out to the network.
 */
export const CHROMIUM = process.env.STS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set STS_CHROMIUM)`);
  return chromium.launchPersistentContext(tempDir('sts-chromium-'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1200, height: 900 } });
}

/** Where the tests leave their screenshots, for a person to look at. */
export function screenshotPath(name: string): string {
  const dir = process.env.STS_SCREENSHOTS ?? path.join(REPO, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** `node dist/server/main.js` on a free port, serving a temp folder with the demo model. */
export async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const models = path.join(tempDir('sts-web-'), 'models');
  mkdirSync(models);
  const train = spawnSync(process.execPath, [path.join(REPO, 'bin/sts.js'), 'train', path.join(REPO, 'models/demo/intents.yaml'), '--out', path.join(models, 'demo.model.json')], { encoding: 'utf8' });
  if (train.status !== 0) throw new Error(`sts train failed: ${train.stderr}`);
  // Port 0: the system picks a free one, and the "listening" log line says which.
  const child = spawn(process.execPath, [builtFile('server/main.js')], { env: { ...process.env, ...env, PORT: '0', STS_MODELS: models }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const listening = /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(output);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, child, stop };
}
