import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '../../lib/errors';
import { CaseInput, Origin, Priority, type CaseInputRaw } from '../../lib/schema';

// The contract's numbers and choices are written here, not read from LIMITS / ORIGINS / PRIORITIES:
// a test that takes its expected values from the product cannot notice the product changing them.

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
    expect(errorAt({ title: text(200) }, 'title')).toBeUndefined();
    expect(errorAt({ title: text(201) }, 'title')).toBe('form.title.tooLong');
  });

  it('stores the title with its white space collapsed', () => {
    expect(CaseInput.parse({ ...valid, title: '  Refund   twice \n' }).title).toBe('Refund twice');
  });

  it('takes a description of 2,000 characters and refuses 2,001', () => {
    expect(errorAt({ description: text(2000) }, 'description')).toBeUndefined();
    expect(errorAt({ description: text(2001) }, 'description')).toBe('form.description.tooLong');
  });

  it('takes a tag of 50 characters and refuses 51', () => {
    expect(errorAt({ tags: [text(50)] }, 'tags')).toBeUndefined();
    expect(errorAt({ tags: [text(51)] }, 'tags')).toBe('form.tags.tooLong');
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
    expect(errorAt({ subject: text(200) }, 'subject')).toBeUndefined();
    expect(errorAt({ subject: text(201) }, 'subject')).toBe('form.subject.tooLong');
    expect(errorAt({ product: text(200) }, 'product')).toBeUndefined();
    expect(errorAt({ product: text(201) }, 'product')).toBe('form.product.tooLong');
  });

  it('accepts every origin and priority of the desks and nothing else', () => {
    expect(Origin.options).toEqual(['email', 'phone', 'chat', 'web', 'social', 'other']);
    expect(Priority.options).toEqual(['low', 'normal', 'high', 'urgent']);
    for (const origin of ['email', 'phone', 'chat', 'web', 'social', 'other'] as const) {
      expect(errorAt({ origin }, 'origin')).toBeUndefined();
    }
    for (const priority of ['low', 'normal', 'high', 'urgent'] as const) {
      expect(errorAt({ priority }, 'priority')).toBeUndefined();
    }
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

  it('takes an email of 254 characters and refuses 255', () => {
    // Every domain label stays under 64 characters, so only the total length decides.
    const emailOf = (length: number) => {
      const domain = `${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.`;
      const email = `${'a'.repeat(64)}@${domain}${'e'.repeat(length - 64 - 1 - domain.length)}`;
      expect(email).toHaveLength(length);
      return email;
    };
    expect(customerErrorAt({ email: emailOf(254) }, 'customer.email')).toBeUndefined();
    expect(customerErrorAt({ email: emailOf(255) }, 'customer.email')).toBe('form.customer.email.invalid');
    expect(customerErrorAt({ email: `${'a'.repeat(64)}@${'b'.repeat(185)}.example` }, 'customer.email')).toBe(
      'form.customer.email.invalid',
    );
  });

  it('accepts phone numbers as agents type them and refuses letters or too few digits', () => {
    for (const phone of ['+36 20 123 4567', '(06) 20-123-4567', '12345']) {
      expect(customerErrorAt({ phone }, 'customer.phone')).toBeUndefined();
    }
    for (const phone of ['1234', 'call me', '+36 20 ABC 4567', `+${'1'.repeat(40)}`]) {
      expect(customerErrorAt({ phone }, 'customer.phone')).toBe('form.customer.phone.invalid');
    }
  });

  it('takes name and company up to 200 characters and refuses 201', () => {
    expect(customerErrorAt({ name: text(200) }, 'customer.name')).toBeUndefined();
    expect(customerErrorAt({ name: text(201) }, 'customer.name')).toBe('form.customer.name.tooLong');
    expect(customerErrorAt({ company: text(200) }, 'customer.company')).toBeUndefined();
    expect(customerErrorAt({ company: text(201) }, 'customer.company')).toBe(
      'form.customer.company.tooLong',
    );
  });
});
