import { spawn } from 'node:child_process';
import http from 'node:http';
import { REPO } from '../helpers.js';
import { children, CLI, freePort, MAIN, modelsDir, startProcess as start, waitFor } from './processes.js';

/**
 * What the tests of the real processes share: requests held in flight, and the soaks that
 * `npm run test:slow` runs (a stdout nobody reads, SIGTERM during a large batch).
 */

/** The status, headers and whole body of a client request; rejects if the body is cut off. */
export function collect(req: http.ClientRequest) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('aborted', () => reject(new Error(`response ${res.statusCode} cut off after ${text.length} characters`)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * A POST whose headers the server has parsed (it answered `100 Continue`) but whose body is
 * not complete: a request certainly in flight. `finish()` sends the rest; `response` settles
 * with the status and body.
 */
export function requestInFlight(port: number, pathname: string, body: string, agent: http.Agent | false = false) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: pathname,
    agent, // false: a connection of its own, closed after the response
    headers: { 'content-type': 'application/json', 'content-length': bytes.length, expect: '100-continue' },
  });
  const response = collect(req);
  const accepted = new Promise<void>((resolve) => req.once('continue', () => (req.write(bytes.subarray(0, half)), resolve())));
  req.flushHeaders();
  return { accepted, response, finish: () => req.end(bytes.subarray(half)) };
}

/** `npm start` on a fresh port with the demo model, ready. */
export async function started(env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = start([MAIN], { PORT: String(port), STS_MODELS: modelsDir(), HOST: '127.0.0.1', STS_ADMIN_TOKEN: '', ...env });
  await waitFor(`http://127.0.0.1:${port}/readyz`, proc);
  return { port, proc };
}

/**
 * pino writes stdout asynchronously: a reader that stops reading must hold up neither the
 * requests (a synchronous log froze the server after ~240 of them) nor, for ever, the exit.
 * Each request logs a line of about 300 bytes, so a few hundred fill the 64 KB pipe.
 */
export async function stdoutNobodyReads(how: 'npm start' | 'sts serve', requests: number): Promise<void> {
  const port = await freePort();
  const dir = modelsDir();
  const args = how === 'npm start' ? [MAIN] : [CLI, 'serve', '--model', dir, '--port', String(port)];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), STS_MODELS: dir, HOST: '127.0.0.1', STS_ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('"listening"')) return;
      child.stdout!.off('data', onData);
      child.stdout!.pause(); // from here on nobody reads: the pipe fills (64 KB), then stays full
      resolve();
    };
    child.stdout!.on('data', onData);
  });
  // A few at a time, as clients do: each request logs a line, and the pipe stays full throughout.
  let next = 0;
  const client = async () => {
    for (let i = next++; i < requests; i = next++) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `reset my password ${i}` }), signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  const t0 = Date.now();
  child.kill('SIGTERM');
  expect(await exited).toBe('SIGKILL'); // what it could not write is lost: it kills itself 2 s after the requests finished
  expect(Date.now() - t0).toBeLessThan(8000);
}

/**
 * When SIGTERM was handled right after a large response was handed to res.json() but before it
 * was flushed, closeIdleConnections() counted the socket as idle (the request parsed,
 * res.finished true) and destroyed it: the client got 200 headers and a cut-off body, and the
 * process exited 0 as if all went well. Responses are now counted until their 'finish'/'close',
 * and idle sockets are destroyed only once none is pending.
 */
export async function sigtermDuringLargeBatch(size: number): Promise<void> {
  const { port, proc } = await started({ STS_BATCH_LIMIT: String(Math.max(size, 1000)) });
  const texts = Array.from({ length: size }, (_, i) => `book a table for ${i}`);
  const agent = new http.Agent({ keepAlive: true }); // as fetch and most HTTP clients do
  try {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/classify/batch', agent, headers: { 'content-type': 'application/json' } });
    const response = collect(req);
    req.end(JSON.stringify({ texts }));
    // The body is read in a few ms; the classifications take longer (no timing is asserted).
    await new Promise((r) => setTimeout(r, 300));
    proc.child.kill('SIGTERM');
    const outcome = await response.then(
      (r) => ({ status: r.status, results: (JSON.parse(r.body) as { results: unknown[] }).results.length }),
      (e: Error) => ({ error: e.message }),
    );
    expect(await proc.exited).toBe(0);
    expect(outcome).toEqual({ status: 200, results: size });
  } finally {
    agent.destroy();
  }
}
