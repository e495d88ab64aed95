/**
 * The note sanitizer in real Chromium. Its unit tests run on a patched
 * happy-dom, whose parser and DOMPurify disagree with a browser's in exactly
 * the places that matter (foster parenting, nested anchors and paragraphs,
 * foreign content). Here the built panel's own module (the chunk the panel
 * imports `sanitizeNoteHtml` from) runs in the panel's page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from './support/browser';

let ext: ExtensionBrowser;
let page: Page;

/** The panel's sanitizer, put on the page's global by beforeAll. */
type WithSanitizer = typeof globalThis & { sanitizeNoteHtml(html: string): string };

beforeAll(async () => {
  const chunk = fs.readdirSync(path.join(EXTENSION_DIR, 'chunks')).find((file) => /^prepare-[\w-]+\.js$/.test(file));
  if (!chunk) throw new Error('no chunks/prepare-*.js in the build: where does the panel import sanitizeNoteHtml from now?');
  ext = await launchWithExtension();
  page = await ext.openPage('sidepanel.html');
  // A string, so that vitest does not rewrite the import(): the page loads the panel's own module.
  await page.evaluate(`import(${JSON.stringify(`/chunks/${chunk}`)}).then((m) => { globalThis.sanitizeNoteHtml = m.sanitizeNoteHtml; })`);
});
afterAll(async () => {
  await ext?.close();
});

/** sanitizeNoteHtml(html) for each payload, run in the panel's page; a refusal comes back as `refused: <key>`. */
async function sanitize(payloads: readonly string[]): Promise<string[]> {
  return page.evaluate(
    (list) =>
      list.map((html) => {
        try {
          return (globalThis as WithSanitizer).sanitizeNoteHtml(html);
        } catch (e) {
          return `refused: ${(e as { key?: string }).key}`;
        }
      }),
    payloads,
  );
}

/** What is wrong with `html` once the browser parses it as the note view does: elements, attributes or URLs outside the allow-list. */
async function violations(outputs: readonly string[]): Promise<string[][]> {
  return page.evaluate((list) => {
    // The notes' contract (lib/notes/prepare.ts), written out here rather than read from the product.
    const tags = new Set(['B', 'I', 'EM', 'STRONG', 'UL', 'OL', 'LI', 'A', 'P', 'BR', 'IMG']);
    const attributes = new Set(['href', 'src', 'alt', 'title', 'rel', 'target']);
    const href = /^(?:https?:|mailto:)/i;
    const src = /^(?:data:image\/(?:png|jpe?g|gif|webp|bmp|avif)[;,]|blob:)/i;
    return list.map((html) => {
      const view = document.createElement('div');
      view.innerHTML = html;
      const found: string[] = [];
      for (const el of view.querySelectorAll('*')) {
        if (!tags.has(el.tagName) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`<${el.tagName.toLowerCase()}>`);
        for (const attr of el.attributes) {
          if (!attributes.has(attr.name)) found.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
        }
        const link = el.getAttribute('href');
        if (link !== null && !href.test(link.trim())) found.push(`href=${link}`);
        const image = el.getAttribute('src');
        if (image !== null && !src.test(image.trim())) found.push(`src=${image}`);
      }
      return found;
    });
  }, outputs);
}

/** The HTML after one more parse and serialization, as the note view's innerHTML makes it. */
async function reparsed(outputs: readonly string[]): Promise<string[]> {
  return page.evaluate(
    (list) =>
      list.map((html) => {
        const view = document.createElement('div');
        view.innerHTML = html;
        return view.innerHTML;
      }),
    outputs,
  );
}

const LINK = 'rel="noopener noreferrer" target="_blank"';

describe('the note sanitizer in Chromium', () => {
  it('keeps the allowed formatting as it is', async () => {
    const html = '<p><b>Bold</b> <i>it</i> <em>em</em> <strong>st</strong><br></p><ul><li>one</li></ul><ol><li>two</li></ol>';
    const png = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="receipt" title="receipt">';
    expect(await sanitize([html, png, '<a href="mailto:ana@example.com">mail</a>'])).toEqual([
      html,
      png,
      `<a href="mailto:ana@example.com" ${LINK}>mail</a>`,
    ]);
  });

  it('sanitizes again until stable the HTML that one pass leaves re-parsing differently', async () => {
    // Each of these, after one DOMPurify pass in Chromium, serializes to markup the parser
    // builds differently (a <p> in a <p>, an <a> in an <a>, an <li> in an <li>, left behind
    // by a removed <table>, <object> or <button>): only a second pass reaches a fixed point.
    const cases: Array<[string, string]> = [
      ['<p>Hi<table><p>there</p></table><u>!</u></p>', '<p>Hi</p><p>there</p>!<p></p>'],
      ['<p>Hi<span><table><p>there</p></table></span><u>!</u></p>', '<p>Hi</p><p>there</p>!<p></p>'],
      ['<p>Hi<table><span>there</span><p>x</p></table><u>!</u></p>', '<p>Hithere</p><p>x</p>!<p></p>'],
      ['<p>Hi<object><p>there</p></object><u>!</u></p>', '<p>Hi</p><p>there</p>!<p></p>'],
      ['<p>Hi<button><p>there</p></button><u>!</u></p>', '<p>Hi</p><p>there</p>!<p></p>'],
      [
        '<a href="https://x.example">Hi<table><span>there</span><a href="https://y.example">!</a></table></a>',
        `<a href="https://x.example" ${LINK}>Hithere</a><a href="https://y.example" ${LINK}>!</a>`,
      ],
      [
        '<a href="https://x.example">a<object><a href="https://y.example">b</a></object></a>',
        `<a href="https://x.example" ${LINK}>a</a><a href="https://y.example" ${LINK}>b</a>`,
      ],
      ['<ul><li>a<table><li>b</li></table></li></ul>', '<ul><li>a</li><li>b</li></ul>'],
      // The unit tests' example: one pass is enough in Chromium, and it must still come out the same.
      ['<p onclick="steal()" style="color:red">Hi<script>alert(1)</script><span>there</span><u>!</u></p>', '<p>Hithere!</p>'],
    ];
    const outputs = await sanitize(cases.map(([payload]) => payload));
    expect(outputs).toEqual(cases.map(([, expected]) => expected));
    // Stored output is shown by parsing it again: it must come back unchanged, and sanitize to itself.
    expect(await reparsed(outputs)).toEqual(outputs);
    expect(await sanitize(outputs)).toEqual(outputs);
  });

  it('removes iframe, style, svg, form, object, embed and other tags outside the allow-list', async () => {
    const cases: Array<[string, string]> = [
      ['<p>Before</p><iframe src="https://evil.example/"></iframe><p>After</p>', '<p>Before</p><p>After</p>'],
      ['<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>ok', 'ok'],
      ['<style>p{color:red}</style><p style="background:url(https://evil.example/t.gif)">styled</p>', '<p>styled</p>'],
      ['<svg onload="alert(1)"><a href="javascript:alert(1)"><text>x</text></a></svg>ok', 'ok'],
      [
        '<form action="https://evil.example/steal"><input name="pw"><button formaction="javascript:alert(1)">Send</button></form>',
        'Send',
      ],
      ['<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object><embed src="javascript:alert(1)">ok', 'ok'],
      ['<base href="//evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel=stylesheet href=//evil.example/x.css>ok', 'ok'],
      ['<details open ontoggle=alert(1)>x</details>', 'x'],
      ['<template><img src=x onerror=alert(1)></template>', ''],
    ];
    const outputs = await sanitize(cases.map(([payload]) => payload));
    expect(outputs).toEqual(cases.map(([, expected]) => expected));
    expect(await violations(outputs)).toEqual(cases.map(() => []));
  });

  it('removes event handlers and attributes outside the allow-list', async () => {
    const outputs = await sanitize([
      '<p onclick="alert(1)" onmouseover="alert(1)">Hi</p><img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(1)" onload="alert(1)"><b onfocus="alert(1)" tabindex="1">b</b>',
      '<a href="https://ok.example/" onclick="alert(1)" style="color:red" class="c" id="i" data-track="1" aria-label="x">ok</a>',
    ]);
    expect(outputs).toEqual([
      '<p>Hi</p><img src="data:image/png;base64,iVBORw0KGgo="><b>b</b>',
      `<a href="https://ok.example/" ${LINK}>ok</a>`,
    ]);
    expect(await violations(outputs)).toEqual([[], []]);
  });

  it('drops javascript: and data:text/html links, however they are spelled, and non-raster images', async () => {
    const outputs = await sanitize([
      '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt:alert(1)">b</a><a href=" javascript:alert(1)">c</a><a href="jav&#x09;ascript:alert(1)">d</a><a href="&#106;avascript:alert(1)">e</a>',
      '<a href="data:text/html,<script>alert(1)</script>">a</a><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">b</a>',
      '<img src="data:text/html,<script>alert(1)</script>"><img src="data:image/svg+xml;base64,PHN2Zz4="><img src="https://tracker.example/p.gif">',
    ]);
    expect(outputs).toEqual(['<a>a</a><a>b</a><a>c</a><a>d</a><a>e</a>', '<a>a</a><a>b</a>', '']);
  });

  it('defuses the mutation-XSS payloads of DOMPurify’s own test suite', async () => {
    const payloads = [
      '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
      '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
      '<svg><style><img src=x onerror=alert(1)></style></svg>',
      '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
      '<textarea><p title="</textarea><img src=x onerror=alert(1)>">',
    ];
    const outputs = await sanitize(payloads);
    expect(outputs).toEqual(['', '', '<p></p>"&gt;', '<p></p>', '', '', '"&gt;', '&lt;p title=""&gt;']);
    expect(await violations(outputs)).toEqual(payloads.map(() => []));
    expect(await reparsed(outputs)).toEqual(outputs);
  });
});
