// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { captureCorpusPage } from './corpus-pages';
import { captureOf, parseHtml } from './fixtures';

const WEB = 'https://example.com/about';

describe('structured data written by others', () => {
  it('reads schema.org in RDFa', () => {
    const result = captureCorpusPage('schemaorg/eg-0001-rdfa');
    expect(result.customer).toEqual({
      name: { value: 'Jane Doe', from: 'rdfa' },
      email: { value: 'jane-doe@xyz.edu', from: 'rdfa' },
      phone: { value: '(425) 123-4567', from: 'rdfa' },
    });
  });

  it('knows a restaurant or a pharmacy is an organisation', () => {
    expect(captureCorpusPage('schemaorg/eg-0192-jsonld').customer.company).toEqual({ value: 'Fondue for Fun and Fantasy', from: 'jsonld' });
    expect(captureCorpusPage('schemaorg/eg-0194-microdata').customer.company).toEqual({ value: "Philippa's Pharmacy", from: 'microdata' });
    expect(captureCorpusPage('schemaorg/eg-0004-rdfa').customer.company).toEqual({ value: 'GreatFood', from: 'rdfa' });
  });

  it("names an h-card by its content when it has no p-name, and joins an h-card's value parts", () => {
    expect(captureCorpusPage('microformats/v2-h-card-justahyperlink').customer.name).toEqual({ value: 'Ben Ward', from: 'hcard' });
    expect(captureCorpusPage('microformats/v2-h-card-hyperlinkedphoto').customer.name).toEqual({ value: 'Rohit Khare', from: 'hcard' });
    expect(captureCorpusPage('microformats/v2-h-card-p-property').customer).toEqual({
      name: { value: 'John Doe', from: 'hcard' },
      company: { value: 'Madgex', from: 'hcard' },
    });
  });

  it('takes the person a page is about by name alone, but never a nested author', () => {
    expect(captureCorpusPage('schemaorg/eg-0212-jsonld').customer).toEqual({ name: { value: 'George Bush', from: 'jsonld' } });
    const article = parseHtml(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Kettles",
      "author":{"@type":"Person","name":"Ode Kim"},"publisher":{"@type":"Organization","name":"Daily Example"}}</script>
      <div itemscope itemtype="https://schema.org/Article"><span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ana Pop</span></span></div>`);
    expect(captureOf(article, { url: WEB }).customer).toEqual({});
  });

  it('leaves a page with no one to reach and no person empty', () => {
    expect(captureCorpusPage('schemaorg/eg-0169-jsonld').customer).toEqual({});
    expect(captureCorpusPage('microformats/v1-hcard-justaname').customer).toEqual({});
  });
});
