// The layering of src/ and views/, read from the import statements themselves:
// - a folder is used through its index.ts, never through a file inside it, by code outside it;
// - nothing in a folder reaches up to the composition root (app.ts, server.ts, main.ts, the cli*.ts);
// - no two files import each other at run time, however long the ring, and neither do two folders.
// Type-only imports (`import type`, erased before Node runs the file) may point anywhere within
// the first two rules: they cannot change the order modules are evaluated in.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COMPOSITION_ROOT = new Set(['src/app.ts', 'src/server.ts', 'src/main.ts', 'src/cli.ts', 'src/cli-commands.ts', 'src/cli-socket.ts']);

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
  line: number;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const statement = /^(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm;
  for (const match of text.matchAll(statement)) {
    const specifier = match[3] ?? match[4]!;
    const to = relative(root, resolve(root, dirname(file), specifier)).split(sep).join('/');
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ from: file, to, typeOnly: match[2] !== undefined, line });
  }
  return found;
}

const files = [...sourceFiles('src'), ...sourceFiles('views')];
const imports = files.flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8')));
const where = (i: Import) => `${i.from}:${i.line} → ${i.to}`;

/** The folder a file belongs to (src/app.ts belongs to none: it is its own unit). */
function folderOf(file: string): string | undefined {
  const folder = dirname(file);
  return folder === 'src' ? undefined : folder;
}

/** The top-level unit: a folder directly under src/, views/, or a file of src/ itself. */
function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'views') return 'views';
  return parts.length > 2 ? `src/${parts[1]}/` : file;
}

function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

function graph(pairs: Iterable<[string, string]>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [a, b] of pairs) {
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  return edges;
}

test('the import reader sees every form of import this codebase writes', (t) => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../b/index.ts';",
    'import {',
    '  c,',
    "} from './c.ts';",
    "export { d } from './d/index.ts';",
    "export type { E } from './e.ts';",
    "const twilio = await import('./f.ts');",
    "import argon2 from 'argon2';",
  ].join('\n');
  t.deepEqual(
    importsOf('src/x/y.ts', text).map((i) => [i.to, i.typeOnly]),
    [['src/x/a.ts', false], ['src/b/index.ts', true], ['src/x/c.ts', false], ['src/x/d/index.ts', false], ['src/x/e.ts', true], ['src/x/f.ts', false]],
  );
});

test('every folder has an index.ts', (t) => {
  const folders = new Set(files.map(folderOf).filter((folder) => folder !== undefined));
  const without = [...folders].filter((folder) => !files.includes(`${folder}/index.ts`));
  t.deepEqual(without, []);
});

test('code outside a folder imports it through its index.ts only', (t) => {
  const bypassing = imports.filter((i) => {
    const folder = folderOf(i.to);
    if (folder === undefined) return false;
    const inside = i.from.startsWith(`${folder}/`);
    return !inside && i.to !== `${folder}/index.ts`;
  });
  t.deepEqual(bypassing.map(where), []);
});

test('no folder imports the composition root (app.ts, server.ts, main.ts, the cli*.ts)', (t) => {
  const upward = imports.filter((i) => folderOf(i.from) !== undefined && COMPOSITION_ROOT.has(i.to));
  t.deepEqual(upward.map(where), []);
});

test('no ring of files imports itself at run time', (t) => {
  const runtime = imports.filter((i) => !i.typeOnly);
  t.deepEqual(cycles(graph(runtime.map((i) => [i.from, i.to]))).map((ring) => ring.join(' → ')), []);
});

test('no ring of folders imports itself at run time', (t) => {
  const runtime = imports.filter((i) => !i.typeOnly);
  const units = graph(runtime.map((i) => [unitOf(i.from), unitOf(i.to)]));
  t.deepEqual(cycles(units).map((ring) => ring.join(' → ')), []);
});

test('the cycle finder finds a ring and passes a chain', (t) => {
  t.deepEqual(cycles(graph([['a', 'b'], ['b', 'c'], ['c', 'a']])), [['a', 'b', 'c', 'a']]);
  t.deepEqual(cycles(graph([['a', 'b'], ['b', 'c'], ['a', 'c']])), []);
});
