/**
 * Is a folder on a network file system? Notifications (inotify, FSEvents, ReadDirectoryChangesW)
 * do not report changes made by other machines on NFS or SMB shares, so such folders are polled.
 * Linux: the longest mount point in /proc/mounts that contains the folder. Windows: UNC paths
 * (\\server\share) count as network. macOS and mapped Windows drives: not detected; users choose
 * --poll (documented).
 */
import { readFileSync } from 'node:fs';
import { isSameOrInside } from './ignore';

export const NETWORK_FS_TYPES: ReadonlySet<string> = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb',
  'smb2',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  'sshfs',
  '9p',
  'afs',
  'ceph',
  'glusterfs',
  'fuse.glusterfs',
  'lustre',
  'davfs',
  'fuse.davfs2',
  'fuse.rclone',
  'fuse.s3fs',
  'ncpfs',
]);

export interface MountEntry {
  mountPoint: string;
  fsType: string;
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040 ...). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    out.push({ mountPoint: unescapeMount(f[1]!), fsType: f[2]! });
  }
  return out;
}

export function fsTypeOf(path: string, mounts: readonly MountEntry[]): string | null {
  let best: MountEntry | null = null;
  for (const m of mounts) {
    if (!isSameOrInside(path, m.mountPoint) && m.mountPoint !== '/') continue;
    if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
  }
  return best?.fsType ?? null;
}

export function readProcMounts(): string | null {
  try {
    return readFileSync('/proc/mounts', 'utf8');
  } catch {
    return null;
  }
}

/** The network file system type holding `path`, or null when local or unknown. */
export function networkFsType(
  path: string,
  platform: NodeJS.Platform = process.platform,
  readMounts: () => string | null = readProcMounts,
): string | null {
  if (platform === 'win32') return /^(\\\\|\/\/)[^\\/]+[\\/][^\\/]+/.test(path) ? 'smb (UNC path)' : null;
  if (platform !== 'linux') return null;
  const text = readMounts();
  if (!text) return null;
  const t = fsTypeOf(path, parseMounts(text));
  return t && NETWORK_FS_TYPES.has(t) ? t : null;
}
