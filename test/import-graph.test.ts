import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO } from './helpers.js';

/*
 * The shape of src/: no import cycles (a cycle is a noun missing between two files: a type that
 * belongs to neither, or a codec of the layer below), and the engine never reaches into the
 * shells. Type-only imports count: they couple files just the same.
 */

const SRC = path.join(REPO, 'src');

/** Every .ts file of src/ (relative, with /), with the files of src/ it imports. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
        const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
        const local = importedFiles.map((i) => i.fileName).filter((name) => name.startsWith('.'));
        graph.set(rel(root, file), local.map((name) => rel(root, path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts')))));
      }
    }
  };
  walk(root);
  return graph;
}
const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** The cycles of a graph: its strongly connected components of more than one file, or a file importing itself (Tarjan). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const graph = importGraph(SRC);

test('the import graph is read: the engine entry imports the classification, which imports the search', () => {
  expect(graph.size).toBeGreaterThan(50);
  expect(graph.get('engine/classifier.ts')).toContain('engine/classify.ts');
  expect(graph.get('engine/classify.ts')).toContain('engine/search/search.ts');
});

test('the cycle check finds cycles, type-only imports included', () => {
  const { importedFiles } = ts.preProcessFile("import type { A } from './a.js';\nexport type { B } from './b.js';", true, true);
  expect(importedFiles.map((i) => i.fileName)).toEqual(['./a.js', './b.js']);
  const cyclic = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', []],
    ['e.ts', ['e.ts']],
  ]);
  expect(importCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
});

test('src/ has no import cycle', () => {
  expect(importCycles(graph)).toEqual([]);
});

test('the engine imports neither the server nor the CLI', () => {
  const outward = [...graph].flatMap(([file, imports]) => (file.startsWith('engine/') ? imports.filter((i) => /^(server|cli)\//.test(i)).map((i) => `${file} → ${i}`) : []));
  expect(outward).toEqual([]);
});
