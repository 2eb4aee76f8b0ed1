import request from 'supertest';
import { modelToCailaProject } from '../../src/model/caila-export.js';
import { jaicpUnlessSaid } from '../helpers.js';
import { appOf, botSource, modelOf, pizzaSource as pizzaDefault, registryOf } from './server-helpers.js';

/*
 * Who may do what (docs/security.md): classification is open; reading model data (the list,
 * a model's intents, Caila's export) needs the admin or the read token once either is set;
 * writes need the admin token once it is set; with STS_CAILA_TOKENS, only mapped tokens reach a
 * model through the Caila routes.
 */

// JAICP's settings compile fastest: the matrix builds an app for each of its 36 cells.
const bot = modelOf(jaicpUnlessSaid(botSource));
const pizzaSource = jaicpUnlessSaid(pizzaDefault);
const pizza = modelOf(pizzaSource);

const ADMIN = 'admin-secret';
const READ = 'read-secret';
const CAILA = '/cailapub/api/caila/p';

type Call = (app: ReturnType<typeof appOf>, auth: Record<string, string>) => request.Test;
const calls: Record<string, Call> = {
  'GET /v1/models': (app, auth) => request(app).get('/v1/models').set(auth),
  'GET /v1/models/bot': (app, auth) => request(app).get('/v1/models/bot').set(auth),
  'POST Caila /export': (app, auth) => request(app).post(`${CAILA}/bot/export`).set(auth),
  'POST /v1/classify': (app, auth) => request(app).post('/v1/classify').set(auth).send({ text: 'hello' }),
  'POST /v1/classify/batch': (app, auth) => request(app).post('/v1/classify/batch').set(auth).send({ texts: ['hello'] }),
  'POST Caila /nlu/inference': (app, auth) => request(app).post(`${CAILA}/bot/nlu/inference`).set(auth).send({ phrase: { text: 'hello' } }),
  'GET Caila /nlu/entities': (app, auth) => request(app).get(`${CAILA}/bot/nlu/entities?query=hello`).set(auth),
  'PUT /v1/models/pizza': (app, auth) => request(app).put('/v1/models/pizza').set(auth).send(pizzaSource),
  'POST Caila /import': (app, auth) => request(app).post(`${CAILA}/pizza/import`).set(auth).send(modelToCailaProject(pizza, 'pizza')),
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const who = { anyone: {}, 'a wrong token': bearer('nope'), 'the read token': bearer(READ), 'the admin token': bearer(ADMIN) };

/** The status each caller gets on each route, for a server configuration. */
async function matrix(config: { adminToken?: string; readToken?: string }) {
  const out: Record<string, Record<string, number>> = {};
  for (const [route, call] of Object.entries(calls)) {
    out[route] = {};
    for (const [caller, auth] of Object.entries(who)) {
      const app = appOf(registryOf({ bot }), config);
      out[route]![caller] = (await call(app, auth)).status;
    }
  }
  return out;
}

const open = { anyone: 200, 'a wrong token': 200, 'the read token': 200, 'the admin token': 200 };
const created = { anyone: 201, 'a wrong token': 201, 'the read token': 201, 'the admin token': 201 };

test('no token set: everything is open (the server binds to 127.0.0.1 unless HOST says otherwise)', async () => {
  expect(await matrix({})).toEqual({
    'GET /v1/models': open,
    'GET /v1/models/bot': open,
    'POST Caila /export': open,
    'POST /v1/classify': open,
    'POST /v1/classify/batch': open,
    'POST Caila /nlu/inference': open,
    'GET Caila /nlu/entities': open,
    'PUT /v1/models/pizza': created,
    'POST Caila /import': open,
  });
});

test('STS_ADMIN_TOKEN and STS_READ_TOKEN: model data needs one of them, writes the admin token, classification nothing', async () => {
  const reads = { anyone: 401, 'a wrong token': 403, 'the read token': 200, 'the admin token': 200 };
  expect(await matrix({ adminToken: ADMIN, readToken: READ })).toEqual({
    'GET /v1/models': reads,
    'GET /v1/models/bot': reads,
    'POST Caila /export': reads,
    'POST /v1/classify': open,
    'POST /v1/classify/batch': open,
    'POST Caila /nlu/inference': open,
    'GET Caila /nlu/entities': open,
    'PUT /v1/models/pizza': { anyone: 401, 'a wrong token': 403, 'the read token': 403, 'the admin token': 201 },
    'POST Caila /import': { anyone: 401, 'a wrong token': 403, 'the read token': 403, 'the admin token': 200 },
  });
});

test('STS_ADMIN_TOKEN alone: the admin token reads too', async () => {
  const m = await matrix({ adminToken: ADMIN });
  expect(m['GET /v1/models']).toEqual({ anyone: 401, 'a wrong token': 403, 'the read token': 403, 'the admin token': 200 });
  expect(m['POST Caila /export']).toEqual(m['GET /v1/models']);
});

test('STS_READ_TOKEN alone: reads need it; writes stay open, as without an admin token', async () => {
  const m = await matrix({ readToken: READ });
  expect(m['GET /v1/models']).toEqual({ anyone: 401, 'a wrong token': 403, 'the read token': 200, 'the admin token': 403 });
  expect(m['PUT /v1/models/pizza']).toEqual(created);
});

describe('STS_CAILA_TOKENS', () => {
  const app = () => appOf(registryOf({ bot, pizza }), { cailaTokens: { 'k-7f3a': 'bot' } });

  test('a mapped token reaches its model; the bare model name does not (404, as any unknown token)', async () => {
    const a = app();
    const viaToken = await request(a).post(`${CAILA}/k-7f3a/nlu/inference`).send({ phrase: { text: 'hello' } });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.variants[0].intent.path).toBe('/hello');
    for (const path of [`${CAILA}/bot/nlu/inference?query=hello`, `${CAILA}/pizza/nlu/inference?query=pizza`, `${CAILA}/bot/nlu/entities?query=hello`]) {
      expect({ path, status: (await request(a).get(path)).status }).toEqual({ path, status: 404 });
    }
    expect((await request(a).post(`${CAILA}/bot/export`)).status).toBe(404);
  });

  test('an import through a token that is not mapped creates nothing', async () => {
    const a = app();
    const res = await request(a).post(`${CAILA}/newmodel/import`).send(modelToCailaProject(pizza, 'p'));
    expect(res.status).toBe(404);
    expect((await request(a).get('/v1/models')).body.models.map((m: { name: string }) => m.name)).toEqual(['bot', 'pizza']);
  });
});
