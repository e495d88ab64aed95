/** One page of tests/corpus, parsed as the browser would, and captured with its own context. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaptureContext } from '../../../lib/capture/capture';
import type { CaptureResult } from '../../../lib/capture/result';
import { captureOf, parseHtml } from './fixtures';

const CORPUS_DIR = path.resolve('tests/corpus');

export function loadCorpusPage(page: string): { doc: Document; url: string; own: string[] } {
  const meta = JSON.parse(readFileSync(path.join(CORPUS_DIR, page, 'expected.json'), 'utf8'));
  return { doc: parseHtml(readFileSync(path.join(CORPUS_DIR, page, 'page.html'), 'utf8')), url: meta.url, own: meta.own ?? [] };
}

export function captureCorpusPage(page: string, ctx: Partial<CaptureContext> = {}): CaptureResult {
  const { doc, url, own } = loadCorpusPage(page);
  return captureOf(doc, { url, ownAddresses: own, ...ctx });
}
