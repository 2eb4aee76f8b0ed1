import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestClasses } from '../../src/server/request-classes.js';
import { startServer } from '../../src/server/start.js';
import { appOf, botSource, DEMO_FILE, registryOf, silent } from './server-helpers.js';

/**
 * The server makes each request and response on the app's own prototypes, so that express's
 * Object.setPrototypeOf finds them in place (request-classes.ts says why that matters), and
 * the app answers as it does on Node's plain classes.
 */
test('requests and responses arrive on the app’s prototypes, and the app answers as on plain ones', async () => {
  const app = appOf(registryOf({ bot: botSource }));
  const server = createServer(requestClasses(app), app);
  const arrived: boolean[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    arrived.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  try {
    const classify = await fetch(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: JSON.stringify({ text: 'book a table for two' }) });
    expect(classify.status).toBe(200);
    expect(classify.headers.get('x-request-id')).toBe('r-1');
    expect(await classify.json()).toMatchObject({ event: 'match', intent: '/table' });
    // Express's own request helpers (req.is) and response helpers (res.status().json()) on the error path.
    const wrongType = await fetch(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(wrongType.status).toBe(415);
    expect((await wrongType.json()) as unknown).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect(arrived).toEqual([true, true, true, true]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the server startServer makes is built with those classes', async () => {
  const running = await startServer({ model: DEMO_FILE, config: { port: 0, host: '127.0.0.1', classifyThreads: 0 }, logger: silent });
  const arrived: boolean[] = [];
  running.server.prependListener('request', (req: IncomingMessage) => void arrived.push(Object.getPrototypeOf(req) === running.app.request));
  try {
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect(arrived).toEqual([true]);
  } finally {
    await running.close();
  }
});
