import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '../../lib/errors';
import { CaseInput, LIMITS, ORIGINS, PRIORITIES, type CaseInputRaw } from '../../lib/schema';

const valid: CaseInputRaw = {
  title: 'Refund for order 1042',
  customer: { name: 'Ana Kovács', email: 'ana@northwind.example', phone: '+36 20 123 4567', company: 'Northwind' },
  subject: 'Billing',
  origin: 'email',
  product: 'Sidecase Pro',
  priority: 'normal',
  tags: ['refund'],
  description: 'The customer was charged twice.',
};

/** The message key the form shows next to `field`, or undefined when the input is valid. */
function errorAt(patch: Partial<CaseInputRaw>, field: string): string | undefined {
  const result = CaseInput.safeParse({ ...valid, ...patch });
  return result.success ? undefined : fieldErrorsOf(result.error)[field];
}
function customerErrorAt(patch: Partial<CaseInputRaw['customer']>, field: string): string | undefined {
  return errorAt({ customer: { ...valid.customer, ...patch } }, field);
}
const text = (length: number) => 'x'.repeat(length);

describe('case input limits', () => {
  it('accepts the complete example form', () => {
    expect(CaseInput.safeParse(valid).success).toBe(true);
  });

  it('requires a title and refuses one made only of white space', () => {
    expect(errorAt({ title: '' }, 'title')).toBe('form.title.required');
    expect(errorAt({ title: '   \t ' }, 'title')).toBe('form.title.required');
    expect(errorAt({ title: 'x' }, 'title')).toBeUndefined();
  });

  it('takes a title of 200 characters and refuses 201', () => {
    expect(errorAt({ title: text(LIMITS.titleMax) }, 'title')).toBeUndefined();
    expect(errorAt({ title: text(LIMITS.titleMax + 1) }, 'title')).toBe('form.title.tooLong');
  });

  it('stores the title with its white space collapsed', () => {
    expect(CaseInput.parse({ ...valid, title: '  Refund   twice \n' }).title).toBe('Refund twice');
  });

  it('takes a description of 2,000 characters and refuses 2,001', () => {
    expect(errorAt({ description: text(2000) }, 'description')).toBeUndefined();
    expect(errorAt({ description: text(2001) }, 'description')).toBe('form.description.tooLong');
  });

  it('takes a tag of 50 characters and refuses 51', () => {
    expect(errorAt({ tags: [text(LIMITS.tagMax)] }, 'tags')).toBeUndefined();
    expect(errorAt({ tags: [text(LIMITS.tagMax + 1)] }, 'tags')).toBe('form.tags.tooLong');
  });

  it('refuses an empty tag', () => {
    expect(errorAt({ tags: [''] }, 'tags')).toBe('form.tags.empty');
    expect(errorAt({ tags: ['   '] }, 'tags')).toBe('form.tags.empty');
  });

  it('takes 20 tags and refuses 21', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag-${i}`);
    expect(errorAt({ tags: tags(20) }, 'tags')).toBeUndefined();
    expect(errorAt({ tags: tags(21) }, 'tags')).toBe('form.tags.tooMany');
  });

  it('refuses the same tag twice even in another case of letters', () => {
    expect(errorAt({ tags: ['VIP', 'vip'] }, 'tags')).toBe('form.tags.duplicate');
    expect(errorAt({ tags: ['VIP', 'refund'] }, 'tags')).toBeUndefined();
  });

  it('takes subject and product up to 200 characters and refuses 201', () => {
    expect(errorAt({ subject: text(LIMITS.subjectMax) }, 'subject')).toBeUndefined();
    expect(errorAt({ subject: text(LIMITS.subjectMax + 1) }, 'subject')).toBe('form.subject.tooLong');
    expect(errorAt({ product: text(LIMITS.productMax) }, 'product')).toBeUndefined();
    expect(errorAt({ product: text(LIMITS.productMax + 1) }, 'product')).toBe('form.product.tooLong');
  });

  it('accepts every origin and priority of the desks and nothing else', () => {
    for (const origin of ORIGINS) expect(errorAt({ origin }, 'origin')).toBeUndefined();
    for (const priority of PRIORITIES) expect(errorAt({ priority }, 'priority')).toBeUndefined();
    expect(errorAt({ origin: 'fax' as never }, 'origin')).toBeDefined();
    expect(errorAt({ priority: 'critical' as never }, 'priority')).toBeDefined();
  });
});

describe('customer block limits', () => {
  it('asks for a customer when every customer field is empty', () => {
    expect(customerErrorAt({ name: '', email: '', phone: '', company: '' }, 'customer.name')).toBe('form.customer.required');
    expect(customerErrorAt({ name: ' ', email: ' ', phone: ' ', company: ' ' }, 'customer.name')).toBe(
      'form.customer.required',
    );
  });

  it('is satisfied by any one customer field, or by a picked customer', () => {
    const empty = { name: '', email: '', phone: '', company: '' };
    expect(customerErrorAt({ ...empty, company: 'Northwind' }, 'customer.name')).toBeUndefined();
    expect(customerErrorAt({ ...empty, phone: '+36 20 123 4567' }, 'customer.name')).toBeUndefined();
    expect(customerErrorAt({ ...empty, id: '01J0000000000000000000000A' }, 'customer.name')).toBeUndefined();
  });

  it('accepts a valid email, stored lower-cased, and refuses a malformed one', () => {
    expect(CaseInput.parse({ ...valid, customer: { ...valid.customer, email: ' Ana@Northwind.Example ' } }).customer.email).toBe(
      'ana@northwind.example',
    );
    for (const email of ['ana', 'ana@', '@northwind.example', 'ana@northwind', 'ana kovacs@northwind.example']) {
      expect(customerErrorAt({ email }, 'customer.email')).toBe('form.customer.email.invalid');
    }
  });

  it('refuses an email longer than 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(185)}.example`;
    expect(email.length).toBeGreaterThan(LIMITS.emailMax);
    expect(customerErrorAt({ email }, 'customer.email')).toBe('form.customer.email.invalid');
  });

  it('accepts phone numbers as agents type them and refuses letters or too few digits', () => {
    for (const phone of ['+36 20 123 4567', '(06) 20-123-4567', '12345']) {
      expect(customerErrorAt({ phone }, 'customer.phone')).toBeUndefined();
    }
    for (const phone of ['1234', 'call me', '+36 20 ABC 4567', `+${'1'.repeat(LIMITS.phoneMax)}`]) {
      expect(customerErrorAt({ phone }, 'customer.phone')).toBe('form.customer.phone.invalid');
    }
  });

  it('takes name and company up to 200 characters and refuses 201', () => {
    expect(customerErrorAt({ name: text(LIMITS.nameMax) }, 'customer.name')).toBeUndefined();
    expect(customerErrorAt({ name: text(LIMITS.nameMax + 1) }, 'customer.name')).toBe('form.customer.name.tooLong');
    expect(customerErrorAt({ company: text(LIMITS.companyMax) }, 'customer.company')).toBeUndefined();
    expect(customerErrorAt({ company: text(LIMITS.companyMax + 1) }, 'customer.company')).toBe(
      'form.customer.company.tooLong',
    );
  });
});
