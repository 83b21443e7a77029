/** The pages of an image file (anything but PDF), by what its bytes say it is. */
import { checkHeif } from './heif';
import type { PageSource } from './image';
import { imagePages } from './image';
import { jpxPages } from './jpx';
import type { Format } from './sniff';

export async function filePages(bytes: Buffer, format: Exclude<Format, 'pdf'>): Promise<PageSource[]> {
  if (format === 'jp2') return jpxPages(bytes);
  if (format === 'heif') checkHeif(bytes);
  return imagePages(bytes, format);
}
