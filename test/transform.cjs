// Jest's transform: ts-jest, with the globals that the engine's hot loops call (Math above all)
// bound once per module. Jest runs each module in a vm context, whose global object answers
// every lookup through an interceptor that V8 cannot cache: `Math.exp` in a loop ran 20–30×
// slower under Jest than under node (nodejs/node#31658, jestjs/jest#5163). A module-scope
// binding is an ordinary variable, so the code runs as it does in production. Bound here:
// objects that tests never replace (fake timers replace Date and the timer functions, so
// those are left alone). The prefix joins the first line, so every other line keeps its number.
const { TsJestTransformer } = require('ts-jest');

const HOT_GLOBALS = ['Math', 'Number', 'String', 'Array', 'Object', 'Map', 'Set', 'JSON', 'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Uint8Array', 'Uint16Array', 'Int8Array', 'Int16Array'];
const PREFIX = `const { ${HOT_GLOBALS.join(', ')} } = globalThis; `;

function bind(source) {
  return PREFIX + source;
}

module.exports = {
  createTransformer(options) {
    const inner = new TsJestTransformer(options);
    return {
      canInstrument: false,
      process: (source, file, opts) => inner.process(bind(source), file, opts),
      processAsync: (source, file, opts) => inner.processAsync(bind(source), file, opts),
      getCacheKey: (source, file, opts) => inner.getCacheKey(bind(source), file, opts),
      getCacheKeyAsync: (source, file, opts) => inner.getCacheKeyAsync(bind(source), file, opts),
    };
  },
};
