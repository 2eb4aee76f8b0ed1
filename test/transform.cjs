// Jest's transform: ts-jest, with the globals that the engine's hot loops use (Math above all)
// bound once per module. Jest runs each module in a vm context, whose global object answers
// every lookup through an interceptor that V8 cannot cache, so `Math.exp` in a loop runs 20–30×
// slower under Jest than under node (docs/development.md). A module-scope binding is an
// ordinary variable, and the code runs as it does in production.
//
// - The prefix joins the first line, so no line moves (only line 1's columns shift).
// - A name the module binds at top level itself (declares or imports) is left out of the
//   prefix: binding it twice would not compile, or would hide the module's own import.
// - The bindings are taken when the module loads: a spy on a property (`jest.spyOn(Math,
//   'random')`) reaches the code, but a test that replaces a global object itself does not.
//   Date and the timer functions, which fake timers replace, are therefore not bound.
const ts = require('typescript');
const { TsJestTransformer } = require('ts-jest');

const HOT_GLOBALS = ['Math', 'Number', 'String', 'Array', 'Object', 'Map', 'Set', 'JSON', 'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Uint8Array', 'Uint16Array', 'Int8Array', 'Int16Array'];

/** The names a module binds at its top level: declarations and imports (type-only ones too, to be safe). */
function topLevelNames(source, file) {
  const names = new Set();
  const addBinding = (name) => {
    if (!name) return;
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false).statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const { name, namedBindings } = statement.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
      else if (namedBindings) for (const element of namedBindings.elements) names.add(element.name.text);
    } else if (ts.isImportEqualsDeclaration(statement)) names.add(statement.name.text);
    else if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && statement.name && ts.isIdentifier(statement.name)) {
      names.add(statement.name.text);
    }
  }
  return names;
}

const bound = new Map();

/** The source with the prefix; the same text for a source every time (the cache key is computed on it). */
function bind(source, file) {
  let text = bound.get(source);
  if (text === undefined) {
    const own = topLevelNames(source, file);
    const names = HOT_GLOBALS.filter((name) => !own.has(name));
    text = (names.length > 0 ? `const { ${names.join(', ')} } = globalThis; ` : '') + source;
    if (bound.size > 1000) bound.clear();
    bound.set(source, text);
  }
  return text;
}

module.exports = {
  bind,
  createTransformer(options) {
    const inner = new TsJestTransformer(options);
    return {
      canInstrument: false,
      process: (source, file, opts) => inner.process(bind(source, file), file, opts),
      processAsync: (source, file, opts) => inner.processAsync(bind(source, file), file, opts),
      getCacheKey: (source, file, opts) => inner.getCacheKey(bind(source, file), file, opts),
      getCacheKeyAsync: (source, file, opts) => inner.getCacheKeyAsync(bind(source, file), file, opts),
    };
  },
};
