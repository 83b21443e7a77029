/**
 * Per-folder ignore patterns, gitignore-style: `*` and `?` stay inside one path segment, `**`
 * spans segments, `[abc]` is a class. A pattern without a slash matches a file or folder name at
 * any depth; a pattern with a slash is anchored at the watched folder. A matched folder ignores
 * everything under it. Written here because chokidar 4 dropped glob support and node's
 * path.matchesGlob is still experimental on Node 20.
 */
import { QuireError } from '../../shared/errors';

export interface CompiledGlob {
  source: string;
  /** True when the relative path (with '/' separators) or one of its ancestors matches. */
  matches(relPath: string): boolean;
}

function segmentRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches zero or more whole folders; a bare "**" matches anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) throw new Error('unclosed [');
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      out += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else {
      out += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return out;
}

export function compileGlob(pattern: string, caseInsensitive = process.platform !== 'linux'): CompiledGlob {
  const p = pattern.trim().replace(/\\/g, '/');
  if (p === '' || p === '/') throw new QuireError('invalid_glob', `The ignore pattern "${pattern}" is empty.`);
  const anchored = p.slice(0, -1).includes('/');
  const body = p.replace(/^\//, '').replace(/\/$/, '');
  let re: RegExp;
  try {
    const rx = segmentRegex(body);
    re = new RegExp(anchored ? `^${rx}$` : `^(?:.*/)?${rx}$`, caseInsensitive ? 'i' : '');
  } catch (err) {
    throw new QuireError('invalid_glob', `The ignore pattern "${pattern}" is not a valid glob: ${(err as Error).message}.`);
  }
  return {
    source: pattern,
    matches(relPath) {
      // Check the path and each ancestor folder: ignoring a folder ignores its contents.
      let cut = relPath.length;
      while (cut > 0) {
        if (re.test(relPath.slice(0, cut))) return true;
        cut = relPath.lastIndexOf('/', cut - 1);
      }
      return false;
    },
  };
}
