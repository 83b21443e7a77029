/**
 * Priority from file size: small files first, so a batch shows results early and a few huge
 * PDFs never hold up thousands of pages. The seed's table; the only place it is defined.
 */
const MB = 1024 * 1024;

export function priorityForSize(bytes: number): number {
  if (bytes <= 1 * MB) return 10;
  if (bytes <= 5 * MB) return 8;
  if (bytes <= 10 * MB) return 6;
  if (bytes <= 50 * MB) return 4;
  return 2;
}
