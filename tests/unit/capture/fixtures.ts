/** Fixture pages of tests/fixtures/capture, parsed as the browser would, and captured. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { captureDocument, type CaptureContext } from '../../../lib/capture/capture';
import { CaptureResult } from '../../../lib/capture/result';

// Paths from the project root (vitest's root): under happy-dom, import.meta.url is not a file URL.
export const FIXTURE_DIR = path.resolve('tests/fixtures/capture');
export const LOCALES_DIR = path.resolve('public/_locales');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.html'))
    .map((file) => file.slice(0, -'.html'.length));
}

export function loadFixture(name: string): Document {
  return parseHtml(readFileSync(path.join(FIXTURE_DIR, `${name}.html`), 'utf8'));
}

export function parseHtml(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** Captures a document and checks the result at the boundary, as the extension will. */
export function captureOf(doc: Document, ctx: Partial<CaptureContext> & { url: string }): CaptureResult {
  return CaptureResult.parse(captureDocument(doc, { ownAddresses: [], ...ctx }));
}

export function captureFixture(name: string, ctx: Partial<CaptureContext> & { url: string }): CaptureResult {
  return captureOf(loadFixture(name), ctx);
}

/** The agent of every fixture: Bence Tóth of Sidecase Support. */
export const AGENT = { ownAddresses: ['sidecase.example'], ownNames: ['Bence Tóth', 'Sidecase Support'] };
