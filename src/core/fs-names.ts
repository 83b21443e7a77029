/**
 * File-system errors that mean "this name cannot be written here" (as opposed to a full disk or a
 * refused permission, which stop a whole export): a name longer than the file system allows
 * (255 bytes on ext4, tmpfs, APFS, NTFS), bytes or characters it cannot store (EILSEQ: FAT,
 * exFAT, NTFS through some drivers, case-folding ext4), or a name it refuses (EINVAL: a Windows
 * reserved name, a trailing dot or space on FAT). Such an output is skipped with this reason.
 */
const REASONS: Readonly<Record<string, string>> = {
  ENAMETOOLONG: 'the name is longer than the file system allows',
  EILSEQ: 'the file system cannot store a character in the name',
  EINVAL: 'the file system does not accept the name',
};

/** Why the file system refused a name, or null when the error is about something else. */
export function unwritableName(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why = code ? REASONS[code] : undefined;
  return why ? `the file system cannot take this name (${code}: ${why})` : null;
}
