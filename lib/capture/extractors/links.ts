/**
 * `mailto:` and `tel:` links: the addresses a page offers to be reached at.
 * The href is percent-decoded and its query (`?subject=…`) or parameters
 * (`;ext=…`) dropped; `mailto:` may list several recipients.
 */
const LINKS = 'a[href], area[href]';
/** A page with more links than this is a directory; the first ones are the page's own. */
const MAX_LINKS = 5000;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A stray "%" in a hand-written link: keep it as written.
    return value;
  }
}

export interface LinkContacts {
  emails: string[];
  phones: string[];
}

export function extractLinks(root: ParentNode): LinkContacts {
  const emails: string[] = [];
  const phones: string[] = [];
  const links = root.querySelectorAll(LINKS);
  const count = Math.min(links.length, MAX_LINKS);
  for (let i = 0; i < count; i++) {
    const href = (links[i]?.getAttribute('href') ?? '').trim();
    const scheme = href.slice(0, 7).toLowerCase();
    if (scheme === 'mailto:') {
      const recipients = decode(href.slice(7).split('?')[0] ?? '');
      emails.push(...recipients.split(/[,;]/).map((r) => r.trim()).filter(Boolean));
    } else if (scheme.startsWith('tel:')) {
      const number = decode(href.slice(4).split(/[?;]/)[0] ?? '').trim();
      if (number) phones.push(number);
    }
  }
  return { emails, phones };
}
