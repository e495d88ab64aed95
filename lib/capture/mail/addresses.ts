/**
 * Address lists as mail headers print them: `Ana Popescu <ana@example.ro>`,
 * `"Popescu, Ana" <ana@example.ro>`, `ana@example.ro (Ana Popescu)`,
 * `Ana [mailto:ana@example.ro]`, bare addresses, separated by `,` or `;`.
 * Raw strings out: normalising happens in capture.ts.
 */
export interface MailAddress {
  name?: string;
  email: string;
}

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[a-z]{2,24}/i;
// One mailbox: an optional display name, then <address>, [mailto:address] or (name) after a bare address.
const MAILBOX = new RegExp(
  String.raw`(?:"([^"]*)"|([^<>"\[\],;]*?))\s*(?:<\s*(?:mailto:)?(${ADDRESS.source})\s*>|\[\s*mailto:(${ADDRESS.source})\s*\])` +
    String.raw`|(${ADDRESS.source})(?:\s*\(([^()]*)\))?`,
  'gi',
);

function cleanName(raw: string | undefined, email: string): string | undefined {
  const name = (raw ?? '').replace(/^[\s'"]+|[\s'"]+$/g, '').replace(/\s+/g, ' ');
  // A client that prints the address as the name gives no name.
  if (!name || name.toLowerCase() === email.toLowerCase() || ADDRESS.test(name)) return undefined;
  return name;
}

export function parseAddressList(value: string, max = 20): MailAddress[] {
  const found: MailAddress[] = [];
  for (const match of value.slice(0, 4000).matchAll(MAILBOX)) {
    const email = (match[3] ?? match[4] ?? match[5] ?? '').replace(/[.>]+$/, '');
    if (!email) continue;
    const name = cleanName(match[1] ?? match[2] ?? match[6], email);
    found.push(name ? { name, email } : { email });
    if (found.length >= max) break;
  }
  return found;
}
