import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scanImports } from './import-scanner.js';

/**
 * The layering of docs/architecture.md, read from the page itself (between `<!-- layers:start -->` and
 * `<!-- layers:end -->`) and checked against the source, so the page and the code cannot say two things.
 */
export interface LayerRow {
  /** `src/core`, `src/config.ts`, or `adapters/*` (every adapter folder). */
  readonly layer: string;
  readonly mayImport: readonly string[];
}

export interface LayeringProblem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

export interface LayeringReport {
  readonly problems: readonly LayeringProblem[];
  /** Import cycles between files, each as the files in it. */
  readonly cycles: readonly (readonly string[])[];
  readonly filesChecked: number;
}

const ADAPTERS = 'adapters/*';
/** Packages that talk to a provider: only an adapter may load them. */
const CLOUD_CLIENTS = [/^@aws-sdk\//, /^googleapis$/, /^@google-cloud\//, /^axios$/];

export function readLayerTable(markdown: string): LayerRow[] {
  const start = markdown.indexOf('<!-- layers:start -->');
  const end = markdown.indexOf('<!-- layers:end -->');
  if (start === -1 || end < start) throw new Error('docs/architecture.md has no layers table between its markers');
  const rows: LayerRow[] = [];
  for (const line of markdown.slice(start, end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | `layer` | `a`, `b` ... |  -> ['', layer, allowed, '']
    if (cells.length < 4) continue;
    const layer = /^`([^`]+)`$/.exec(cells[1]!)?.[1];
    if (!layer) continue;
    const mayImport = [...cells[2]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    rows.push({ layer, mayImport });
  }
  if (rows.length === 0) throw new Error('the layers table of docs/architecture.md has no rows');
  return rows;
}

/** The row a file belongs to: the longest layer path that holds it. */
export function layerOf(file: string, rows: readonly LayerRow[]): string | undefined {
  if (file.startsWith('adapters/') && rows.some((row) => row.layer === ADAPTERS)) return ADAPTERS;
  let best: string | undefined;
  for (const { layer } of rows) {
    if (layer === ADAPTERS) continue;
    const holds = file === layer || file.startsWith(`${layer}/`);
    if (holds && (best === undefined || layer.length > best.length)) best = layer;
  }
  return best;
}

function adapterName(file: string): string | undefined {
  return /^adapters\/([^/]+)\//.exec(file)?.[1];
}

/** Every `.ts` file under the given folders of `root`, as paths relative to `root` with `/`. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) found.push(child);
    }
  };
  for (const folder of folders) walk(folder);
  return found.sort();
}

/** Check every file of `src/` and `adapters/` under `root` against the rows. */
export function checkLayering(root: string, rows: readonly LayerRow[]): LayeringReport {
  const files = sourceFiles(root, ['src', 'adapters']);
  const known = new Set(files);
  const problems: LayeringProblem[] = [];
  const graph = new Map<string, string[]>();
  const rowOf = new Map(rows.map((row) => [row.layer, row]));
  for (const file of files) {
    const layer = layerOf(file, rows);
    if (!layer) problems.push({ file, line: 1, problem: 'no row of the layers table covers this file' });
    const edges: string[] = [];
    graph.set(file, edges);
    for (const site of scanImports(readFileSync(path.join(root, file), 'utf8'))) {
      const say = (problem: string): void => {
        problems.push({ file, line: site.line, problem: `imports '${site.specifier}': ${problem}` });
      };
      if (!site.specifier.startsWith('.')) {
        if (CLOUD_CLIENTS.some((pattern) => pattern.test(site.specifier)) && layer !== ADAPTERS)
          say('a cloud client, which only adapters/* may load');
        continue;
      }
      const target = path.posix
        .normalize(path.posix.join(path.posix.dirname(file), site.specifier))
        .replace(/\.js$/, '.ts');
      if (!known.has(target)) {
        say('no such file under src/ or adapters/');
        continue;
      }
      edges.push(target);
      const targetLayer = layerOf(target, rows);
      if (!layer || !targetLayer) continue;
      if (targetLayer === ADAPTERS && layer !== ADAPTERS && !site.dynamic)
        say('an adapter is loaded only with `await import`, so commands that do not need it never pay for it');
      if (layer === targetLayer) {
        if (layer === ADAPTERS && adapterName(file) !== adapterName(target)) say('another backend’s folder');
        continue;
      }
      if (!rowOf.get(layer)?.mayImport.includes(targetLayer)) say(`${layer} may not import ${targetLayer}`);
    }
  }
  return { problems, cycles: cyclesOf(graph), filesChecked: files.length };
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan's algorithm). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
