import path from 'node:path';
import ts from 'typescript';
import { REPO, tempDir, writeFiles, cleanupTempDirs } from '../helpers.js';

/**
 * What an editor shows: every property of the public types below has TSDoc, read through the
 * TypeScript compiler as a library user's editor reads it (from src/index.ts, the public entry).
 */

afterAll(cleanupTempDirs);

const DOCUMENTED = ['CallSettings', 'ClassifyOptions', 'LookupOptions', 'ClassifierOptions', 'StsEvent', 'Alternative', 'Explanation', 'AlignedWords', 'LimitInfo', 'FoundEntity', 'SlotValue'];

test.each(DOCUMENTED)('every property of %s has TSDoc', (name) => {
  const dir = tempDir('sts-tsdoc-');
  const { 'probe.ts': file } = writeFiles(dir, {
    'probe.ts': `import type { ${name} } from ${JSON.stringify(path.join(REPO, 'src/index.js'))};\nexport declare const probe: Required<${name}>;\n`,
  });
  const program = ts.createProgram([file!], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file!)!;
  const statement = source.statements.find(ts.isVariableStatement)!;
  const type = checker.getTypeAtLocation(statement.declarationList.declarations[0]!.name);
  const properties = type.getProperties();
  expect(properties.length).toBeGreaterThan(1); // the type resolved (an unresolved one has none)
  const undocumented = properties.filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === '').map((p) => p.name);
  expect(undocumented).toEqual([]);
}, 60_000);
