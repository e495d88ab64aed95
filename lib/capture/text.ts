/**
 * Reading the text of a page without making the browser lay it out.
 *
 * `innerText` forces style and layout of the whole page (hundreds of
 * milliseconds on a 2 MB mail thread); walking text nodes and reading
 * `nodeValue` costs only the characters read. The walk stops as soon as the
 * cap is reached, so a huge page costs no more than its first 100 KB.
 */

// Never visible text: code, styles, templates, embedded documents and graphics.
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'canvas', 'select',
]);
// Elements that start a new line in the rendered page, so words from two blocks never run together.
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'tr', 'td', 'th', 'ul',
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  // Inline display:none is how mails hide preheaders and tracking text; computed styles would force layout.
  const style = el.getAttribute('style');
  return style !== null && /display\s*:\s*none/i.test(style);
}

export interface TextRead {
  text: string;
  /** More text was there than was read. */
  truncated: boolean;
}

/**
 * The visible-ish text under `root`, at most `max` characters, white space
 * collapsed, a line break between blocks. `skip` leaves out subtrees (quoted
 * replies, a site's chrome).
 */
export function readText(root: Node, max: number, skip?: (el: Element) => boolean): TextRead {
  const parts: string[] = [];
  let length = 0;
  let truncated = false;
  // Line breaks owed before the next text: a block boundary owes one, each <br> one more (two at most).
  let pendingBreaks = 0;

  const breakLine = (isBr = false) => {
    if (length > 0) pendingBreaks = isBr ? Math.min(pendingBreaks + 1, 2) : Math.max(pendingBreaks, 1);
  };
  /** Adds one text node; false when the walk should stop. */
  const append = (raw: string): boolean => {
    const room = max - length;
    // Collapsing white space only shrinks text, so a bounded slice is enough.
    const isCut = raw.length > room * 2 + 16;
    const value = (isCut ? raw.slice(0, room * 2 + 16) : raw).replace(/\s+/g, ' ');
    if (value.trim() === '') {
      // White space between inline elements separates words.
      if (value && length > 0 && pendingBreaks === 0 && parts[parts.length - 1] !== ' ' && room > 0) {
        parts.push(' ');
        length += 1;
      }
      return true;
    }
    if (pendingBreaks > 0 && room >= pendingBreaks) {
      parts.push('\n'.repeat(pendingBreaks));
      length += pendingBreaks;
    }
    pendingBreaks = 0;
    const left = max - length;
    if (value.length > left || isCut) {
      parts.push(value.slice(0, Math.max(0, left)));
      length = max;
      truncated = isCut || value.slice(Math.max(0, left)).trim() !== '';
      return !truncated;
    }
    parts.push(value);
    length += value.length;
    return true;
  };

  /** Preformatted text (a raw mail, a plain-text body) keeps its line breaks: they are its structure. */
  const appendPre = (raw: string): boolean => {
    const bound = (max - length) * 2 + 16;
    const lines = (raw.length > bound ? raw.slice(0, bound) : raw).split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) breakLine(true);
      if (!append(lines[i] ?? '')) return false;
    }
    if (raw.length > bound && raw.slice(bound).trim() !== '') {
      truncated = true;
      return false;
    }
    return true;
  };

  // How many <pre> elements the walk is inside (root itself included).
  let preDepth = root.nodeType === ELEMENT_NODE && (root as Element).closest?.('pre') ? 1 : 0;
  let node: Node | null = root.firstChild;
  walk: while (node) {
    if (node.nodeType === TEXT_NODE) {
      if (!(preDepth > 0 ? appendPre(node.nodeValue ?? '') : append(node.nodeValue ?? ''))) break;
    } else if (node.nodeType === ELEMENT_NODE) {
      const el = node as Element;
      const name = el.localName;
      if (!SKIPPED.has(name) && !isHidden(el) && !skip?.(el)) {
        if (BLOCKS.has(name)) breakLine(name === 'br');
        if (el.firstChild) {
          if (name === 'pre') preDepth += 1;
          node = el.firstChild;
          continue;
        }
      }
    }
    while (node && !node.nextSibling) {
      node = node.parentNode;
      if (!node || node === root) break walk;
      if (node.nodeType === ELEMENT_NODE && (node as Element).localName === 'pre') preDepth -= 1;
      if (node.nodeType === ELEMENT_NODE && BLOCKS.has((node as Element).localName)) breakLine();
    }
    node = node ? node.nextSibling : null;
  }
  return { text: parts.join('').trim(), truncated };
}

/** Short text of one element (a name, a subject): its text content, bounded. */
export function textOf(el: Element | null | undefined, max = 1000): string {
  if (!el) return '';
  return readText(el, max).text;
}
