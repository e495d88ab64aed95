/**
 * The two side effects of every write: a timeline event (what the agent sees)
 * and an outbox entry (what the sync engine delivers). Both are called only
 * inside the repository's transaction, so record, event and entry are written
 * together or not at all.
 */
import { newId } from '../ids';
import type { EventType, OutboxEntry, TimelineEvent } from '../schema';
import type { SidecaseDb } from './db';

export async function appendTimeline(
  db: SidecaseDb,
  event: Omit<TimelineEvent, 'id'>,
): Promise<TimelineEvent> {
  const saved: TimelineEvent = { id: newId(event.at), ...event };
  await db.timeline.add(saved);
  return saved;
}

export async function appendOutbox(
  db: SidecaseDb,
  change: { entity: OutboxEntry['entity']; entityId: string; type: EventType; at: number; data: object },
): Promise<OutboxEntry> {
  const id = newId(change.at);
  const entry: OutboxEntry = {
    id,
    entity: change.entity,
    entityId: change.entityId,
    type: change.type,
    // One key per change, fixed when the change is made: a retry of the same
    // entry, however often, carries the same key and has one effect.
    idempotencyKey: `${change.entity}:${change.entityId}:${id}`,
    occurredAt: change.at,
    data: structuredClone(change.data) as Record<string, unknown>,
    attempts: 0,
    nextAttemptAt: change.at,
  };
  await db.outbox.add(entry);
  return entry;
}
