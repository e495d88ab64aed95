import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SLA_BADGE_ALARM, registerSlaBadge, slaBadgeText } from '../../../lib/cases/sla-badge';
import { createCase } from '../../../lib/cases/create';
import { resolveCase } from '../../../lib/cases/lifecycle';
import { caseInput, freshDb } from './helpers';

const MINUTE = 60_000;

describe('the SLA toolbar badge', () => {
  it('shows the count of cases near breach, and nothing at zero', () => {
    expect(slaBadgeText(0)).toBe('');
    expect(slaBadgeText(3)).toBe('3');
    expect(slaBadgeText(12_000)).toBe('999+');
  });

  it('counts active cases near breach on start-up and follows the database', async () => {
    const db = freshDb();
    // Urgent: first response within 60 min. Created 50 min ago: 10 min left, near breach.
    const near = await createCase(caseInput({ priority: 'urgent', title: 'Payment page down' }), { actor: 'Ana', db, now: Date.now() - 50 * MINUTE });
    await createCase(caseInput({ priority: 'low', title: 'Typo on the invoice' }), { actor: 'Ana', db });
    registerSlaBadge({ db });
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('1'));
    expect(await fakeBrowser.alarms.get(SLA_BADGE_ALARM)).toMatchObject({ periodInMinutes: 1 });

    // Resolving it takes it off the badge (a database change, no alarm needed).
    await resolveCase(near.case.id, { type: 'problemSolved', text: 'Restarted the gateway.' }, { actor: 'Ana', db });
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
  });

  it('recounts when the alarm fires, as time alone brings cases near breach', async () => {
    // Only the clock is faked: Dexie and vi.waitFor keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const db = freshDb();
      // Urgent: first response within 60 min. Created just now: not near breach yet.
      await createCase(caseInput({ priority: 'urgent', title: 'Payment page down' }), { actor: 'Ana', db });
      registerSlaBadge({ db });
      await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(SLA_BADGE_ALARM)).toBeTruthy());
      // Let the start-up count and the first live query settle.
      await new Promise((r) => setTimeout(r, 100));
      expect(await fakeBrowser.action.getBadgeText({})).toBe('');

      // 50 minutes on, with no write: 10 minutes left. Another alarm does not recount…
      vi.setSystemTime(Date.now() + 50 * MINUTE);
      await fakeBrowser.alarms.onAlarm.trigger({ name: 'another-alarm', scheduledTime: Date.now() });
      await new Promise((r) => setTimeout(r, 100));
      expect(await fakeBrowser.action.getBadgeText({})).toBe('');
      // …the badge's alarm does, and the case is counted.
      await fakeBrowser.alarms.onAlarm.trigger({ name: SLA_BADGE_ALARM, scheduledTime: Date.now() });
      await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('1'));
    } finally {
      vi.useRealTimers();
    }
  });
});
