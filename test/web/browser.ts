import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
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

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** `node dist/server/main.js` on a free port, serving a temp folder with the demo model. */
export async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const models = path.join(tempDir('sts-web-'), 'models');
  mkdirSync(models);
  const train = spawnSync(process.execPath, [path.join(REPO, 'bin/sts.js'), 'train', path.join(REPO, 'models/demo/intents.yaml'), '--out', path.join(models, 'demo.model.json')], { encoding: 'utf8' });
  if (train.status !== 0) throw new Error(`sts train failed: ${train.stderr}`);
  const port = await freePort();
  const child = spawn(process.execPath, [builtFile('server/main.js')], { env: { ...process.env, ...env, PORT: String(port), STS_MODELS: models }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let k = 0; ; k++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (k > 200) throw new Error(`the server did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, child, stop };
}
