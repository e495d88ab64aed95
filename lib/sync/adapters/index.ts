/**
 * The backend adapters, one file each, listed here. Adding a backend kind
 * means a file with the same shape (adapters/types.ts), its settings in
 * settings.ts and one line below.
 */
import type { SidecaseDb } from '../../db/db';
import type { HttpIo } from '../http';
import type { BackendSettings } from '../settings';
import { createDynamics365Adapter } from './dynamics365';
import { createRestAdapter } from './rest';
import type { Adapter } from './types';
import { createWebhookAdapter } from './webhook';
import { createZendeskAdapter } from './zendesk';

export type { Adapter, Outcome } from './types';

export function createAdapter(settings: BackendSettings, io: HttpIo, db?: SidecaseDb): Adapter | undefined {
  switch (settings.kind) {
    case 'rest':
      return createRestAdapter(settings, io);
    case 'webhook':
      return createWebhookAdapter(settings, io);
    case 'dynamics365':
      return createDynamics365Adapter(settings, io, db);
    case 'zendesk':
      return createZendeskAdapter(settings, io, db);
    case 'none':
      return undefined;
  }
}
