/**
 * Images Sidecase accepts from a page, the clipboard or a screenshot: raster
 * types only (an SVG is a document that can carry script), at most
 * IMAGE_MAX_BYTES, because they wait in storage.session (10 MB for the whole
 * extension) until the agent files them.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const IMAGE_MAX_BYTES = 4 * 1024 * 1024;

export function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type.split(';')[0]!.trim().toLowerCase());
}

export function imageTypeOf(type: string): ImageType | undefined {
  const clean = type.split(';')[0]!.trim().toLowerCase();
  return isImageType(clean) ? clean : undefined;
}

/** A data: URL of a Blob, without FileReader (service workers have none in every browser). */
export async function blobToDataUrl(blob: Blob, type: string): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  // Chunks: String.fromCharCode with a 4 MB spread would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(dataUrl);
  if (!match) throw new Error('not a data URL');
  const [, type, base64, payload] = match;
  if (!base64) return new Blob([decodeURIComponent(payload!)], { type });
  const binary = atob(payload!);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** "photo.png" from an image URL, else a name from the time and the type. */
export function imageNameOf(url: string | undefined, type: ImageType, now: number, prefix = 'image'): string {
  const extension = type === 'image/jpeg' ? 'jpg' : type.slice('image/'.length);
  try {
    const last = decodeURIComponent(new URL(url ?? '').pathname.split('/').pop() ?? '');
    const clean = last.replace(/[^\p{L}\p{N}._ -]/gu, '').slice(0, 120);
    if (clean && /\.[a-z0-9]{2,5}$/i.test(clean)) return clean;
    if (clean) return `${clean}.${extension}`;
  } catch {
    // Not a URL (a pasted image has none): fall through to a made-up name.
  }
  return `${prefix}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.${extension}`;
}
