import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { Response } from 'supertest';
import { createApp, type StsApp } from '../../src/server/app.js';
import type { ServerConfigInput } from '../../src/server/config.js';
import { ModelRegistry } from '../../src/server/registry.js';
import { requestClasses } from '../../src/server/request-classes.js';
import { compile } from '../../src/model/compile-source.js';
import { fileText, loadModel, trainFromFiles } from '../../src/model/io.js';
import { checkModel } from '../../src/model/validate-model.js';
import type { Model } from '../../src/model/model-schema.js';
import type { IntentsFileInput } from '../../src/model/source-schema.js';
import { CailaError } from '../../src/server/caila-schemas.js';
import { ErrorBody } from '../../src/server/schemas.js';
import { REPO } from '../helpers.js';

/** Shared fixtures of the HTTP tests: small hand-made bots, registries and apps. */

export const silent: Logger = pino({ level: 'silent' });

export const DEMO_FILE = path.join(REPO, 'models/demo.model.json');
export const DEMO_SOURCE = path.join(REPO, 'models/demo/intents.yaml');

/** A small English bot: greetings, a table booking, a taxi, with answers on two intents. */
export const botSource: IntentsFileInput = {
  language: 'en',
  settings: { threshold: 0.3, nBest: 3 },
  intents: [
    { path: '/hello', answer: 'Hi!', phrases: ['hello', 'hi there', 'good morning'] },
    { path: '/table', answer: 'For how many?', phrases: ['book a table for two', 'reserve a table', 'table for dinner'] },
    { path: '/taxi', phrases: ['order a taxi', 'call me a cab', 'i need a taxi to the airport'] },
    { path: '/weather', phrases: ['what is the weather like', 'will it rain tomorrow'] },
  ],
};

/** A second bot with other intents, to tell which model answered. */
export const pizzaSource: IntentsFileInput = {
  language: 'en',
  intents: [
    { path: '/pizza/order', phrases: ['order a pizza', 'i want a pizza', 'pizza with cheese please'] },
    { path: '/pizza/status', phrases: ['where is my pizza', 'pizza delivery status'] },
  ],
};

/** The model a registry serves under a name, read back from its file (the registry keeps only its head). */
export function servedModel(registry: ModelRegistry, name: string): Model {
  return checkModel(JSON.parse(fileText(registry.get(name)!.file))).model;
}

export function modelOf(source: IntentsFileInput): Model {
  return compile(source).model;
}

/** A registry of compiled sources, by name; the first is the default. */
export function registryOf(models: Record<string, IntentsFileInput | Model>, dir?: string): ModelRegistry {
  const registry = new ModelRegistry(dir, undefined);
  for (const [name, m] of Object.entries(models)) registry.add(name, 'format' in m ? (m as Model) : modelOf(m as IntentsFileInput));
  return registry;
}

/**
 * The demo bot: models/demo.model.json when this build loads it, else compiled from its source
 * (models/demo/intents.yaml), so these tests do not depend on that file being rebuilt after a
 * model-format change (test/model checks that the file is a fresh compile).
 */
let demo: Promise<Model> | undefined;
export async function demoModel(): Promise<Model> {
  demo ??= loadModel(path.join(REPO, 'models/demo.model.json')).catch(async () => (await trainFromFiles([DEMO_SOURCE])).model);
  return structuredClone(await demo);
}

export function appOf(registry: ModelRegistry, config: ServerConfigInput = {}, logger: Logger = silent): StsApp {
  return createApp({ registry, config, logger });
}

/** One listening server for many requests, made as the server's start makes it (supertest on a bare app starts a server per request). */
export async function listen(app: StsApp): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(requestClasses(app), app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Asserts the native error shape: status, JSON, code, request id in header and body, no stack. */
export function expectNativeError(res: Response, status: number, code: string): { code: string; message: string; details?: { path?: string; message: string }[]; requestId?: string } {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status, body: { error: { code } } });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorBody.parse(res.body);
  const requestId = res.headers['x-request-id'];
  expect(typeof requestId).toBe('string');
  expect(body.error.requestId).toBe(requestId);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
  return body.error;
}

/** Asserts Caila's error shape: `{error: string, errors: [{code, message}]}`. */
export function expectCailaError(res: Response, status: number): { error: string; errors: { code: string; message: string }[] } {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(typeof res.headers['x-request-id']).toBe('string');
  const body = CailaError.parse(res.body);
  expect(body.errors.length).toBeGreaterThan(0);
  return body;
}
