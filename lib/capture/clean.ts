/**
 * Plain-text hygiene for everything taken from a page. Page text is untrusted:
 * control characters, zero-width characters and bidi overrides are how a name
 * or an address is made to look like something else ("Trojan Source",
 * CVE-2021-42574), so they are removed before the text reaches the agent.
 * Markup is never parsed here: `<img onerror=…>` in a name stays those
 * characters.
 */

// C0 and C1 controls except tab, line feed and carriage return (handled as white space).
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Zero-width space/non-joiner, LRM/RLM, word joiner and invisible operators, BOM,
// soft hyphen, Arabic letter mark, Mongolian vowel separator; bidi embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
const INVISIBLES = /[\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// The zero-width joiner is dropped too, except inside an emoji sequence (👩‍💻),
// where it is the glue of one pictograph and cannot disguise letters.
const STRAY_JOINERS =
  /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}]\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Without invisible or control characters; white space untouched. */
export function stripUnsafe(value: string): string {
  return value.replace(CONTROLS, '').replace(INVISIBLES, '').replace(STRAY_JOINERS, '');
}

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
export function capLength(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Cut with an ellipsis when something was left out, so the agent sees it is an excerpt. */
export function excerpt(value: string, max: number): string {
  return value.length <= max ? value : capLength(value, max - 1).trimEnd() + '…';
}

/** One line of plain text: names, emails, phones, titles. */
export function cleanLine(value: string, max: number): string {
  return capLength(stripUnsafe(capLength(value, max * 4)).replace(/\s+/g, ' ').trim(), max);
}

/** Several lines of plain text: bodies, selections. Paragraphs survive, indentation does not. */
export function cleanBlock(value: string, max: number): string {
  // Bounded work whatever the input: a 2 MB selection is cut before it is cleaned.
  const text = stripUnsafe(capLength(value, max * 4).replace(/\r\n?/g, '\n'))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return excerpt(text, max);
}
