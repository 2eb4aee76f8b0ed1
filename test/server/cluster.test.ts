import http from 'node:http';
import { builtFile, cleanupTempDirs } from '../helpers.js';
import { freePort, killStarted, MAIN, modelsDir, startProcess, waitFor, type Proc } from './processes.js';

/** `npm start` with STS_WORKERS=2: two server processes on one port (node:cluster), over real HTTP. */

beforeAll(() => void builtFile('server/main.js'), 120_000);
afterEach(killStarted);
afterAll(cleanupTempDirs);

interface LogLine {
  pid: number;
  msg: string;
  model?: string;
  status?: number;
}

const lines = (proc: Proc): LogLine[] =>
  proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

/** The pids of the workers that logged "listening". */
const workerPids = (proc: Proc) => lines(proc).filter((l) => l.msg === 'listening').map((l) => l.pid);

/** One request on a connection of its own, so that the primary hands each to the next worker. */
function send(port: number, method: string, pathname: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, agent: false, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function startWorkers(): Promise<{ port: number; proc: Proc }> {
  const port = await freePort();
  const proc = startProcess([MAIN], { PORT: String(port), STS_MODELS: modelsDir(), HOST: '127.0.0.1', STS_ADMIN_TOKEN: '', STS_WORKERS: '2' });
  const exited = proc.exited.then((code) => {
    throw new Error(`the server exited (${code}) before its workers listened:\n${proc.output()}`);
  });
  await Promise.race([proc.waitForOutput('all workers listening'), exited]);
  void exited.catch(() => undefined);
  await waitFor(`http://127.0.0.1:${port}/readyz`, proc);
  return { port, proc };
}

const pizza = { language: 'en', intents: [{ path: '/pizza', phrases: ['order a pizza', 'i want a pizza'] }] };

test('an upload through one worker is served by both at once; a killed worker is replaced and serves it too; SIGTERM stops all', async () => {
  const { port, proc } = await startWorkers();
  // Each worker writes its own "listening" line; the primary's "all workers listening" (heard
  // over IPC) may reach the shared stdout first.
  for (let i = 0; workerPids(proc).length < 2 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
  const pids = workerPids(proc);
  expect(new Set(pids).size).toBe(2);

  const put = await send(port, 'PUT', '/v1/models/pizza', pizza);
  expect(put.status).toBe(201);
  const id = (put.json.model as { id: string }).id;
  // Every request from here on, on either worker, gets the new model.
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push(await send(port, 'POST', '/v1/classify', { text: 'order a pizza', model: 'pizza' }));
  expect(answers.map((a) => [a.status, a.json.modelId])).toEqual(answers.map(() => [200, id]));
  const served = new Set(lines(proc).filter((l) => l.msg === 'request' && l.model === 'pizza' && l.status === 200).map((l) => l.pid));
  expect(served).toEqual(new Set(pids));

  process.kill(pids[0]!, 'SIGKILL');
  await proc.waitForOutput('a worker died: starting another');
  for (let i = 0; workerPids(proc).length < 3 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
  const replacement = workerPids(proc)[2]!;
  expect(pids).not.toContain(replacement);
  for (let i = 0; i < 4; i++) expect((await send(port, 'POST', '/v1/classify', { text: 'order a pizza', model: 'pizza' })).json.modelId).toBe(id);
  expect(lines(proc).some((l) => l.pid === replacement && l.msg === 'request' && l.model === 'pizza' && l.status === 200)).toBe(true);

  proc.child.kill('SIGTERM');
  expect(await proc.exited).toBe(0);
  expect(proc.output()).toContain('"msg":"stopped"');
});
