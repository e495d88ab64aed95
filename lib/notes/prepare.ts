/**
 * What the agent wrote, made safe to store and render: HTML notes pass
 * DOMPurify with a short allow-list (bold, italic, lists, paragraphs, line
 * breaks, links to http(s)/mailto, pasted images as data:image or blob: URLs),
 * everything else is stripped. Plain-text notes stay text (rendered as text
 * nodes, never as HTML).
 */
import DOMPurify from 'dompurify';
import { z } from 'zod';
import { SidecaseError } from '../errors';
import { NOTE_FORMATS } from '../schema';
import { noteText, noteWords } from '../search/words';

export const NOTE_BODY_MAX = 1_000_000;

export const NoteInput = z.object({
  body: z.string(),
  format: z.enum(NOTE_FORMATS),
});
export type NoteInput = z.infer<typeof NoteInput>;

declare const prepared: unique symbol;
/** A note body that went through `prepareNote`: the only kind the repositories store. */
export type PreparedNote = { body: string; format: NoteInput['format']; words: string[] } & { readonly [prepared]: true };

const ALLOWED_TAGS = ['b', 'i', 'em', 'strong', 'ul', 'ol', 'li', 'a', 'p', 'br', 'img'];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title'];
const SAFE_HREF = /^(?:https?:|mailto:)/i;
// Raster images only: an SVG data URL is a document of its own.
const SAFE_IMG_SRC = /^(?:data:image\/(?:png|jpe?g|gif|webp|bmp|avif)[;,]|blob:)/i;

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | undefined;

/** One DOMPurify of our own, so our hooks never affect another user of the library. */
function getPurifier(): Purifier | undefined {
  if (purifier) return purifier;
  if (typeof window === 'undefined') return undefined;
  const instance = DOMPurify(window);
  if (!instance.isSupported) return undefined;
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!SAFE_HREF.test(href.trim())) node.removeAttribute('href');
      else {
        node.setAttribute('rel', 'noopener noreferrer');
        node.setAttribute('target', '_blank');
      }
    }
    if (node.nodeName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      if (!SAFE_IMG_SRC.test(src.trim())) node.parentNode?.removeChild(node);
    }
  });
  purifier = instance;
  return instance;
}

const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: [...ALLOWED_ATTR, 'rel', 'target'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/|blob:)/i,
  ADD_DATA_URI_TAGS: ['img'],
  // DOMPurify lets data-* and aria-* through by default, whatever ALLOWED_ATTR says: the allow-list is the whole list.
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  KEEP_CONTENT: true,
};
const MAX_PASSES = 4;

/**
 * Sanitize note HTML with the notes' allow-list, to a fixed point: the output
 * is sanitized again until it no longer changes. Stored HTML is parsed again
 * when shown, and HTML whose serialization re-parses differently is how
 * mutation XSS slips past a single pass; a body that never settles is refused.
 */
export function sanitizeNoteHtml(html: string): string {
  const instance = getPurifier();
  // Without a DOM (a service worker) nothing can be sanitized reliably:
  // refuse instead of storing the HTML as it came.
  if (!instance) throw new SidecaseError('note.html.unsupported');
  let current = html;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = instance.sanitize(current, PURIFY_CONFIG);
    if (next === current) return next;
    current = next;
  }
  throw new SidecaseError('note.html.unsafe', 'body');
}

/** Validate, sanitize and cut the words of a note; throws SidecaseError note.body.required / note.body.tooLong. */
export function prepareNote(raw: NoteInput): PreparedNote {
  const input = NoteInput.parse(raw);
  const body = input.format === 'html' ? sanitizeNoteHtml(input.body).trim() : input.body.trim();
  const hasImage = input.format === 'html' && /<img\s/i.test(body);
  if (!hasImage && noteText({ body, format: input.format }).trim().length === 0) {
    throw new SidecaseError('note.body.required', 'body');
  }
  if (body.length > NOTE_BODY_MAX) throw new SidecaseError('note.body.tooLong', 'body');
  return { body, format: input.format, words: noteWords({ body, format: input.format }) } as PreparedNote;
}
