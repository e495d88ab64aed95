/**
 * People's names as mail headers and signatures print them, put in the order
 * a case shows them: "Popescu, Ana" and "POPESCU Ana" become "Ana Popescu";
 * "ana.popescu@" gives "Ana Popescu" only when nothing better names the
 * sender (capture.ts decides that).
 */
const WORD = String.raw`\p{Lu}[\p{L}'’.-]*`;
const COMMA_FORM = new RegExp(String.raw`^(${WORD}(?:[ -]${WORD})?),\s*(${WORD}(?:\s${WORD}){0,2})$`, 'u');
const CAPS_FIRST = /^(\p{Lu}{2,}(?:[ -]\p{Lu}{2,})?)\s+(\p{Lu}\p{Ll}[\p{L}'’.-]*(?:\s\p{Lu}\p{Ll}[\p{L}'’.-]*){0,2})$/u;

function titleCase(word: string): string {
  return word.toLocaleLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toLocaleUpperCase());
}

/** "Popescu, Ana" → "Ana Popescu", "POPESCU Ana" → "Ana Popescu"; other names as given. */
export function normaliseName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  const comma = COMMA_FORM.exec(name);
  if (comma) return `${comma[2]} ${comma[1]}`;
  const caps = CAPS_FIRST.exec(name);
  if (caps) return `${caps[2]} ${titleCase(caps[1] ?? '')}`;
  return name;
}

/** "ana.popescu@…" → "Ana Popescu"; undefined unless the local part is two or three words of letters. */
export function nameFromAddress(email: string): string | undefined {
  const local = email.slice(0, email.indexOf('@'));
  const parts = local.split(/[._-]/);
  if (parts.length < 2 || parts.length > 3) return undefined;
  if (!parts.every((p) => /^\p{L}{2,20}$/u.test(p))) return undefined;
  return parts.map(titleCase).join(' ');
}

/** A line that reads as a person's name: two to four capitalised words, no digits or symbols. */
export function isPersonName(line: string): boolean {
  const value = line.trim();
  if (value.length > 60 || /[\d@:/|]/.test(value)) return false;
  const words = value.split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  return words.every((w) => /^(?:\p{Lu}[\p{L}'’.-]*|de|van|von|der|den|bin|binti)$/u.test(w));
}
