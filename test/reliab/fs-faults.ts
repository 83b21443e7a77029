/**
 * File-system faults for the storage tests (root only: mounting, chattr): a small tmpfs that
 * fills up, read-only remounts, immutable files, and an ext4 image whose errors the kernel can be
 * made to raise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = process.getuid?.() === 0;
/** Outside CI a non-root developer cannot mount; in CI (root) these always run. */
export const needsMount = !root && !process.env.CI;
export const mountNote = needsMount ? ' (SKIPPED: mounting a tmpfs needs root)' : '';

export function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

export function remount(dir: string, opts: string): void {
  execFileSync('mount', ['-o', `remount,${opts}`, dir]);
}

export function umount(dir: string): void {
  try {
    execFileSync('umount', [dir]);
  } catch {
    execFileSync('umount', ['-l', dir]);
  }
}

/** chattr +i works here (ext4, xfs, btrfs; not tmpfs or overlay). */
export function supportsImmutable(dir: string): boolean {
  const probe = join(dir, '.chattr-probe');
  writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

/** A fresh 64 MB ext4 image mounted (loop) on dir, with extra mount options. */
export function mountExt4(dir: string, image: string, options = ''): void {
  writeFileSync(image, Buffer.alloc(0));
  execFileSync('truncate', ['-s', '64M', image]);
  execFileSync('mkfs.ext4', ['-q', '-F', image]);
  execFileSync('mount', ['-o', options ? `loop,${options}` : 'loop', image, dir]);
}

/**
 * A data folder where chattr +i works: dir itself, or an ext4 image mounted on it where the temp
 * folder has no inode flags. Returns how to undo it.
 */
export function immutableCapableDir(dir: string, image: string): () => void {
  mkdirSync(dir, { recursive: true });
  if (supportsImmutable(dir)) return () => {};
  mountExt4(dir, image);
  return () => umount(dir);
}

/** The database and its log (not the -shm mapping: see the storage tests), as they exist now. */
export function databaseFiles(dataDir: string): string[] {
  return ['quire.db', 'quire.db-wal'].map((f) => join(dataDir, f)).filter((f) => existsSync(f));
}

/** ext4's test hook that raises a file-system error (and so its errors= behaviour) on demand, for the ext4 mounted on dir. */
export function ext4ErrorTrigger(dir: string): string {
  const device = execFileSync('findmnt', ['-n', '-o', 'SOURCE', dir], { encoding: 'utf8' }).trim();
  return `/sys/fs/ext4/${device.replace(/^\/dev\//, '')}/trigger_fs_error`;
}

/** Fake-engine inputs at 250 ms a page: ~10 s of work on 2 workers, still going when a fault hits. */
export function slowInputs(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `p${i}.png`), `name ${i}\npages 2\ndelay 250\ntext page ${i}\n`);
}
