import { describe, expect, it, vi } from 'vitest';
import { onTablesChanged } from '../../../lib/db/watch';
import { newId } from '../../../lib/ids';
import { freshDb } from '../cases/helpers';

describe('watching tables for changes', () => {
  it('calls back after a write to a watched table, not after one to another table', async () => {
    const db = freshDb();
    // Opening a database reports every table as changed: open it first.
    await db.open();
    const changed = vi.fn();
    onTablesChanged(['customers'], changed);
    await db.meta.put({ key: 'caseCounter', value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(changed).not.toHaveBeenCalled();
    await db.customers.put({
      id: newId(),
      kind: 'contact',
      name: 'Ana Kovács',
      emails: [],
      phones: [],
      company: '',
      searchKeys: [],
      createdAt: 1,
      updatedAt: 1,
      version: 1,
    });
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    db.close();
  });
});
