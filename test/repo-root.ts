/** The repository root, without vitest: scripts run by tsx (npm run test:chaos / test:fuzz) import this. */
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..');
