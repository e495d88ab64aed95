import { describe, expect, it } from 'vitest';
import { caseLabels } from '../../../lib/customers/case-labels';
import { customerLabel } from '../../../lib/customers/label';
import { createCase } from '../../../lib/cases/create';
import { caseInput, freshDb } from '../cases/helpers';
import { LIMITS } from '../../../lib/constants';

const customer = (patch: Partial<{ name: string; company: string; emails: string[]; phones: string[] }>) => ({
  name: '',
  company: '',
  emails: [],
  phones: [],
  ...patch,
});

describe('how a list names a customer', () => {
  it('uses the name, else the company, the first email or the first phone', () => {
    expect(customerLabel(customer({ name: 'Ana Kovács', company: 'Northwind', emails: ['ana@northwind.example'] }))).toBe('Ana Kovács');
    expect(customerLabel(customer({ company: 'Northwind', emails: ['ana@northwind.example'] }))).toBe('Northwind');
    expect(customerLabel(customer({ emails: ['ana@northwind.example', 'a@b.example'], phones: ['+36 20 123 4567'] }))).toBe('ana@northwind.example');
    expect(customerLabel(customer({ phones: ['+62 812 555 0101'] }))).toBe('+62 812 555 0101');
    expect(customerLabel(customer({}))).toBe('');
    expect(customerLabel(undefined)).toBe('');
  });

  it('cuts an over-long email from a backend to what a case keeps', () => {
    const label = customerLabel(customer({ emails: [`${'x'.repeat(400)}@example.com`] }));
    expect(label).toHaveLength(LIMITS.customerLabelMax);
  });

  it('names each case by the label it keeps, and reads the customer only for a case stored without one', async () => {
    const db = freshDb();
    const { case: kept } = await createCase(caseInput({ title: 'Kept' }, { name: 'Ana Kovács' }), { actor: 'Bea', db });
    const { case: older } = await createCase(caseInput({ title: 'Older' }, { name: 'Budi Santoso', email: 'budi@contoso.example', phone: '' }), { actor: 'Bea', db });
    const { customerLabel: _label, ...withoutLabel } = older;
    const customers = new Map();
    const labels = await caseLabels(db, [{ ...kept, customerLabel: 'As kept' }, withoutLabel], customers);
    expect([...labels]).toEqual([
      [kept.id, 'As kept'],
      [older.id, 'Budi Santoso'],
    ]);
    // Only the unlabelled case's customer was read, and is kept for the next call.
    expect([...customers.keys()]).toEqual([older.customerId]);
    db.close();
  });
});
