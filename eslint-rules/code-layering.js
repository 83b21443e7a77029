// The layering of Quire's source, as a lint rule (after VS Code's code-layering rule): every
// import in src/ must point along an arrow of LAYERS below, or it is an error. A layer may import
// itself; `types:` entries may be imported for their types only (`import type`).
//
//   renderer -> ipc -> shared                          (the renderer sees the contract only)
//   preload  -> ipc -> shared
//   main/cli/server -> core/host -> the rest of core -> shared
//   worker   -> core/ocr, core/pool (protocol) -> shared
//
// core/ocr (the decoders and tesseract) is imported for values by the worker only: a host never
// decodes a user's file.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const CORE_ALL = ['core/base', 'core/config', 'core/store', 'core/queue', 'core/ingest', 'core/watch', 'core/export', 'core/power', 'core/pool', 'core/api', 'core/app', 'core/host'];

/** First match wins: a file's layer by its path under the repository. */
export const LAYERS = [
  ['shared', /^src\/shared\//],
  ['ipc', /^src\/ipc\//],
  ['renderer', /^src\/renderer\//],
  ['preload', /^src\/preload\//],
  ['main', /^src\/main\//],
  ['server', /^src\/server\//],
  ['cli', /^src\/cli\//],
  ['worker', /^src\/worker\//],
  ['core/host', /^src\/core\/host\//],
  ['core/app', /^src\/core\/app\.ts$/],
  ['core/api', /^src\/core\/api\//],
  ['core/pool', /^src\/core\/pool\//],
  ['core/watch', /^src\/core\/watch\//],
  ['core/export', /^src\/core\/export\//],
  ['core/ingest', /^src\/core\/ingest\//],
  ['core/ocr', /^src\/core\/ocr\//],
  ['core/queue', /^src\/core\/queue\//],
  ['core/store', /^src\/core\/store\//],
  ['core/config', /^src\/core\/config\//],
  ['core/power', /^src\/core\/power\//],
  ['core/base', /^src\/core\/[^/]+\.ts$/],
];

/** Which layers each layer may import (besides itself). */
export const ALLOWED = {
  shared: [],
  'core/base': ['shared'],
  'core/config': ['shared', 'core/base'],
  'core/store': ['shared', 'core/base', 'core/config'],
  'core/queue': ['shared', 'core/base', 'core/store'],
  'core/ocr': ['shared', 'core/base', 'core/config'],
  'core/ingest': ['shared', 'core/base', 'core/config', 'core/store'],
  'core/watch': ['shared', 'core/base', 'core/config', 'core/store', 'core/ingest'],
  'core/export': ['shared', 'core/base', 'core/store'],
  'core/power': ['shared', 'core/base', 'core/config'],
  'core/pool': ['shared', 'core/base', 'core/config', 'core/store', 'types:core/ocr'],
  'core/api': ['shared', 'core/base', 'core/config', 'core/store'],
  'core/app': ['shared', 'core/base', 'core/config', 'core/store', 'core/queue', 'core/ingest'],
  'core/host': ['shared', ...CORE_ALL.filter((l) => l !== 'core/host'), 'types:core/ocr'],
  worker: ['shared', 'core/base', 'core/config', 'core/ocr', 'core/pool'],
  ipc: ['shared', 'types:core/api'],
  server: ['shared', 'core/base', 'core/api', 'types:core/host', 'ipc'],
  cli: ['shared', ...CORE_ALL, 'server', 'ipc'],
  main: ['shared', ...CORE_ALL, 'ipc'],
  preload: ['shared', 'ipc'],
  renderer: ['ipc'],
};

function layerOf(rel) {
  for (const [name, re] of LAYERS) if (re.test(rel)) return name;
  return null;
}

export const codeLayering = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports in src/ follow the layering map (eslint-rules/code-layering.js).' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const self = relative(root, context.filename).split('\\').join('/');
    if (!self.startsWith('src/') || /\.test\.tsx?$/.test(self)) return {};
    const from = layerOf(self);
    if (!from) return {};
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = relative(root, resolve(dirname(context.filename), spec)).split('\\').join('/');
      const candidates = /\.(tsx?|js|mjs|cjs|css|json)$/.test(target) ? [target] : [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`];
      const file = candidates.find((c) => existsSync(resolve(root, c))) ?? candidates[0];
      const to = layerOf(file);
      if (!to || to === from) return;
      const allowed = ALLOWED[from] ?? [];
      if (allowed.includes(to) || (typeOnly && allowed.includes(`types:${to}`))) return;
      const typesOnly = allowed.includes(`types:${to}`);
      context.report({
        node,
        message: `${from} may not import ${to}${typesOnly ? ' (only its types, with `import type`)' : ''} (${spec}). The layering map is in eslint-rules/code-layering.js.`,
      });
    };
    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        check(node, node.source.value, typeOnly);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
      TSImportType(node) {
        const arg = node.argument;
        const lit = arg?.type === 'TSLiteralType' ? arg.literal : arg;
        if (lit?.type === 'Literal') check(node, lit.value, true);
      },
    };
  },
};
