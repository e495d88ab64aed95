/**
 * Fetching an image for "Attach image to case": http(s) or data: URLs only,
 * at most IMAGE_MAX_BYTES (checked on the header and again while reading, so
 * a lying server cannot make us read more), and the type decided by the
 * file's first bytes, not by what the server or the URL claims: an SVG or an
 * HTML page served as image/png is refused.
 */
import { SidecaseError } from '../errors';
import { IMAGE_MAX_BYTES, blobToDataUrl, imageNameOf, type ImageType } from '../inbox/images';
import type { PendingImage } from '../inbox/pending';
import { readCapped } from '../net/read-capped';

/** The raster type of these bytes, by their signature; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const at = (offset: number, ...values: number[]) => values.every((v, i) => bytes[offset + i] === v);
  const ascii = (offset: number, text: string) => at(offset, ...Array.from(text, (c) => c.charCodeAt(0)));
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, 'BM')) return 'image/bmp';
  if (ascii(4, 'ftypavif') || ascii(4, 'ftypavis')) return 'image/avif';
  return undefined;
}

export async function fetchImage(url: string, fetcher: typeof fetch, now: number): Promise<PendingImage> {
  if (!/^(https?:|data:image\/)/i.test(url)) throw new SidecaseError('menus.image.unsupported');
  let response: Response;
  try {
    // With the site's permission the agent's cookies come along (images behind a login);
    // without it CORS refuses credentials, and an open image is fetched without them.
    response = await fetcher(url, { credentials: 'include', redirect: 'follow' }).catch(() =>
      fetcher(url, { credentials: 'omit', redirect: 'follow' }),
    );
  } catch {
    throw new SidecaseError('menus.image.unreachable');
  }
  if (!response.ok) throw new SidecaseError('menus.image.unreachable');
  const bytes = await readCapped(response, IMAGE_MAX_BYTES);
  if (!bytes) throw new SidecaseError('menus.image.tooLarge');
  const type = sniffImageType(bytes);
  if (!type) throw new SidecaseError('menus.image.unsupported');
  const blob = new Blob([bytes as BlobPart], { type });
  return {
    dataUrl: await blobToDataUrl(blob, type),
    name: imageNameOf(url.startsWith('data:') ? undefined : url, type, now),
    type,
    size: bytes.byteLength,
  };
}
