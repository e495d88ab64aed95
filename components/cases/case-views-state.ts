/**
 * State of the home view's case list: which view, its sort and filters, and the
 * search box's text. Signals, so the list keeps them while the agent opens a
 * case and comes back. Loaded with the list (never at first paint).
 */
import { computed, signal } from '@preact/signals';
import type { CaseFilters, CaseSort, CaseView } from '../../lib/cases/queries';

export interface ViewChoice {
  view: CaseView;
  /** For the per-customer view: whose cases, and how to name them. */
  customerId?: string;
  customerLabel?: string;
}

export const viewChoice = signal<ViewChoice>({ view: 'mine' });
export const viewSort = signal<CaseSort>('updated');
export const viewFilters = signal<CaseFilters>({});
export const searchQuery = signal('');
/** Whether the box holds a query: changes far less often than the text, so the list re-renders only then. */
export const isSearching = computed(() => searchQuery.value.trim() !== '');

/** The customer card's "All cases of this customer". */
export function showCustomerCases(customerId: string, customerLabel: string): void {
  viewChoice.value = { view: 'customer', customerId, customerLabel };
  searchQuery.value = '';
}
