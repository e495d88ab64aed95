import { describe, expect, it } from 'vitest';
import type { Case, OutboxEntry } from '../../../lib/schema';
import { caseOfEntry } from '../../../lib/sync/dynamics365/outbox-case';

const aCase: Case = {
  id: '01JD0Z6W8P3V7Q2R5T9X4Y6B1C',
  number: 'CAS-000042-K7Q2',
  title: 'Printer jams',
  customerId: '01JD0Z6W8P3V7Q2R5T9X4Y6B1D',
  subject: 'Hardware',
  origin: 'email',
  product: '',
  priority: 'urgent',
  state: 'resolved',
  owner: 'ana@contoso.example',
  tags: ['vip', 'onsite'],
  tagKeys: ['vip', 'onsite'],
  description: 'Jams on every second page.',
  resolution: { type: 'problemSolved', text: 'New drum', at: 3, by: 'ana@contoso.example' },
  createdAt: 1,
  updatedAt: 2,
  version: 1,
};

const entryOf = (data: Record<string, unknown>): OutboxEntry => ({
  id: '01JD0Z6W8P3V7Q2R5T9X4Y6B1E',
  entity: 'case',
  entityId: aCase.id,
  type: 'case.updated',
  idempotencyKey: 'case:1',
  occurredAt: 1,
  data,
  attempts: 0,
  nextAttemptAt: 1,
});

describe('the case of a Dynamics 365 outbox entry', () => {
  it('takes a case Sidecase stored as it is, without parsing it again', () => {
    const data = { ...aCase } as Record<string, unknown>;
    expect(caseOfEntry(entryOf(data))).toBe(data);
  });

  it('refuses an entry whose case is not valid, whatever field the mapping reads is wrong', () => {
    for (const broken of [
      { priority: 'critical' },
      { title: '' },
      { customerId: 'not-an-id' },
      { tags: 'vip' },
      { state: 'closed' },
      { resolution: { type: 'fixed', text: 'x', at: 1, by: '' } },
    ]) {
      expect(caseOfEntry(entryOf({ ...aCase, ...broken })), JSON.stringify(broken)).toBeUndefined();
    }
  });

  it('parses a case of another shape with the schema, cleaning what it cleans', () => {
    const record = caseOfEntry(entryOf({ ...aCase, owner: undefined }));
    expect(record).toBeUndefined();
    const spaced = caseOfEntry(entryOf({ ...aCase, tags: ['  vip ', 'onsite'], resolution: undefined, extra: 1 }));
    expect(spaced?.tags).toEqual(['vip', 'onsite']);
    expect(spaced).not.toHaveProperty('extra');
  });
});
