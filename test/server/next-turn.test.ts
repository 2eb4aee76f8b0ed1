import { createServer, connect, type Socket } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { nextTurn } from '../../src/server/next-turn.js';

/** The registry yields with nextTurn() between the long steps of an upload (registry.ts). */
describe('nextTurn', () => {
  test('right after a message (as the compile worker answers), data that reached a socket meanwhile is read before it resolves', async () => {
    const server = createServer();
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    const socket = await accepted;
    const events: string[] = [];
    socket.on('data', () => events.push('request read'));
    const { port1, port2 } = new MessageChannel();
    try {
      const done = new Promise<void>((resolve) => {
        port1.once('message', () => {
          // The request arrives while this handler holds the event loop (as unpacking a model does).
          client.write('x');
          const until = Date.now() + 100;
          while (Date.now() < until);
          void nextTurn().then(() => {
            events.push('turn over');
            resolve();
          });
        });
      });
      port2.postMessage('compiled');
      await done;
      await new Promise((resolve) => setTimeout(resolve, 50)); // the data is read by now in any case
      expect(events).toEqual(['request read', 'turn over']);
    } finally {
      port1.close();
      client.destroy();
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
