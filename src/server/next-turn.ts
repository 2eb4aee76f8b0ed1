/**
 * Resolves once the event loop has read the sockets again, so requests that arrived meanwhile
 * get their turn. Two setImmediate, not one: the worker's answer (a MessagePort message) comes
 * in the loop's poll phase, and an immediate set then runs in the same pass, before the next
 * poll reads any socket; the second one runs after it.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
