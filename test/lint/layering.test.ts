/**
 * The layering map and the cycle check are enforced, not hoped for: an import against an arrow of
 * eslint-rules/code-layering.js fails lint with a sentence, an allowed one passes, and a cycle
 * between two files fails scripts/check-cycles.mjs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return r!.messages.filter((m) => m.ruleId === 'quire/code-layering').map((m) => m.message);
}

describe('the layering lint', () => {
  it.each([
    ['src/renderer/views/X.tsx', "import { createQuire } from '../../core/app';\nexport const x = createQuire;", /renderer may not import core\/app/],
    ['src/renderer/views/X.tsx', "import type { Host } from '../../core/host';\nexport type X = Host;", /renderer may not import core\/host/],
    ['src/shared/x.ts', "import type { Quire } from '../core/app';\nexport type X = Quire;", /shared may not import core\/app/],
    ['src/core/store/x.ts', "import { queuePolicy } from '../queue/policy';\nexport const x = queuePolicy;", /core\/store may not import core\/queue/],
    ['src/core/host/x.ts', "import { forEachPage } from '../ocr/pages';\nexport const x = forEachPage;", /core\/host may not import core\/ocr \(only its types/],
    ['src/core/pool/x.ts', "export { createSearchablePdf } from '../ocr/tesseract';", /core\/pool may not import core\/ocr \(only its types/],
    ['src/core/api/x.ts', "import { HANDLER_NAMES } from '../../ipc/contract';\nexport const x = HANDLER_NAMES;", /core\/api may not import ipc/],
    ['src/core/ocr/x.ts', "export const x = () => import('../pool/supervisor');", /core\/ocr may not import core\/pool/],
  ])('refuses %s importing against the map', async (file, code, message) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['src/renderer/views/X.tsx', "import type { QueueStats } from '../../ipc/contract';\nexport type X = QueueStats;"],
    ['src/core/pool/x.ts', "import type { OcrEngineOptions } from '../ocr/types';\nexport type X = OcrEngineOptions;"],
    ['src/worker/x.ts', "import { forEachPage } from '../core/ocr/pages';\nexport const x = forEachPage;"],
    ['src/ipc/x.ts', "import type { ApiHandlers } from '../core/api/handlers';\nexport type X = ApiHandlers;"],
    ['src/cli/x.ts', "import { openHost } from '../core/host';\nexport const x = openHost;"],
  ])('allows %s importing along the map', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

describe('the import cycle check', () => {
  const run = (root: string) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'check-cycles.mjs'), root], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (err) {
      const e = err as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };

  it('fails on a cycle between files, naming them, and passes once it is broken', () => {
    const root = tempDir('quire-cycles-');
    mkdirSync(join(root, 'src', 'a'), { recursive: true });
    writeFileSync(join(root, 'src', 'a', 'one.ts'), "import type { Two } from './two';\nexport type One = Two[];\n");
    writeFileSync(join(root, 'src', 'a', 'two.ts'), "import { three } from '../three';\nexport type Two = string;\nexport const t = three;\n");
    writeFileSync(join(root, 'src', 'three.ts'), "import type { One } from './a/one';\nexport const three = 3 as unknown as One;\n");
    const bad = run(root);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('src/a/one.ts <-> src/a/two.ts <-> src/three.ts');
    writeFileSync(join(root, 'src', 'three.ts'), 'export const three = 3;\n');
    expect(run(root)).toMatchObject({ code: 0, out: expect.stringContaining('no import cycles') });
  });

  it('finds none in Quire itself', () => {
    expect(run(REPO_ROOT).code).toBe(0);
  });
});
