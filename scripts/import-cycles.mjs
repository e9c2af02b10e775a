#!/usr/bin/env node
// Import cycles in src/ (issue 14): prints each cycle of static imports between the project's own modules
// and exits 1 when there is one. Type-only imports count too (as madge counts them): a cycle of types is
// still two modules that cannot be read, or moved, one without the other. Dynamic `import()` does not:
// it is how the CLI loads a domain lazily.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
};
walk(root);

const IMPORT = /^\s*(import|export)\s+([^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
const graph = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const edges = new Set();
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[3]).replace(/\.js$/, '.ts');
    if (files.includes(target)) edges.add(target);
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: every component of more than one module is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
const connect = (v) => {
  state.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v)) {
    if (!state.has(w)) {
      connect(w);
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
    } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
  }
  if (state.get(v).low === state.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v).has(v)) cycles.push(component);
  }
};
for (const file of files) if (!state.has(file)) connect(file);

if (cycles.length === 0) {
  console.log(`import-cycles: none among ${files.length} modules of ${relative(process.cwd(), root) || '.'}`);
} else {
  for (const cycle of cycles)
    console.log(
      `cycle: ${cycle
        .map((f) => relative(process.cwd(), f))
        .sort()
        .join(' ↔ ')}`,
    );
  process.exit(1);
}
