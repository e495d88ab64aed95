/**
 * happy-dom's `Node.prototype.nodeName` getter returns '' and relies on
 * overrides in Element, Text, …; DOMPurify ≥ 3.4.8 reads the Node.prototype
 * getter directly (to resist clobbering), so under happy-dom it sees no tag
 * names and sanitizes nothing (capricorn86/happy-dom#1810, #1629;
 * cure53/DOMPurify#1457). This gives the base getter the DOM standard's
 * answer, for the unit tests only: the extension runs in a real browser.
 * Import it before the code under test creates its DOMPurify instance.
 */
const NodeProto = (globalThis as unknown as { Node: { prototype: object } }).Node.prototype;
Object.defineProperty(NodeProto, 'nodeName', {
  configurable: true,
  get(this: { nodeType: number; tagName?: string; name?: string; target?: string }) {
    switch (this.nodeType) {
      case 1:
        return this.tagName ?? '';
      case 3:
        return '#text';
      case 4:
        return '#cdata-section';
      case 7:
        return this.target ?? '';
      case 8:
        return '#comment';
      case 9:
        return '#document';
      case 10:
        return this.name ?? '';
      case 11:
        return '#document-fragment';
      default:
        return '';
    }
  },
});
