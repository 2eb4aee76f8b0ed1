import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Classifier } from '../../engine/classifier.js';
import { createClassifier } from '../../lexicons.js';
import { fileText } from '../../model/io.js';
import { headOf } from '../../model/model-head.js';
import { checkModelText } from '../../model/validate-model.js';
import type { FromWorker, ToWorker } from './messages.js';
import { errorData } from '../error-data.js';
import { StsError } from '../../errors.js';
import { LEAST_MS } from '../time-cap.js';

/**
 * A classify thread of the pool (classify-pool.ts): holds the models the main thread loaded
 * into it, and runs its jobs as the engine's async API does: in turns of the thread's scheduler
 * (engine/scheduler.ts), so that the jobs it holds share it fairly and each stops at its
 * deadline. The main thread answers at the deadline whatever this thread does, and ends a
 * thread that overstays.
 */
const classifiers = new Map<string, Classifier>();
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);


/**
 * This thread's nice value: when the machine's cores are all busy, the server's event loop, which
 * answers at the deadlines, gets the CPU before the work whose time is running out. Linux sets it
 * per thread (the thread's id is in /proc/thread-self); elsewhere the thread keeps the process's.
 */
const CLASSIFY_NICE = 10;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), CLASSIFY_NICE);
} catch {
  // not Linux, or not allowed: the thread keeps the process's priority
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
      try {
        const { model, regression } = checkModelText(fileText(message.file));
        // A key is a model id: a file that is another model (a store's row whose id was edited) is not served under it.
        if (model.id !== message.key) throw new StsError('invalid_model', `the file is model ${model.id}, not ${message.key}`);
        classifiers.set(message.key, createClassifier(model, { regression }));
        post({ type: 'loaded', key: message.key, ...(message.head && { head: headOf(model) }) });
      } catch (e) {
        post({ type: 'loaded', key: message.key, error: errorData(e) });
      }
      return;
    case 'drop':
      classifiers.delete(message.key);
      return;
    case 'job': {
      const { id, key, kind, text, deadlineAt } = message;
      const c = classifiers.get(key);
      if (!c) return post({ type: 'failed', id, error: { message: `model ${key} is not loaded in this thread` } });
      const timeLimit = deadlineAt === Infinity ? 0 : Math.max(LEAST_MS, deadlineAt - (performance.timeOrigin + performance.now()));
      const options = { ...message.options, timeLimit };
      const work = kind === 'classify' ? c.classify(text, options) : c.lookupEntities(text, options);
      work.then(
        (value) => post({ type: 'done', id, value }),
        (e: unknown) => post({ type: 'failed', id, error: errorData(e) }),
      );
    }
  }
});

post({ type: 'ready' });
