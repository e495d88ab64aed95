/**
 * The first-paint stand-ins for the capture UI: each renders nothing until its
 * lazily loaded part arrives (right after first paint), so the panel's initial
 * JavaScript carries only the two buttons (see `npm run bench`,
 * sidepanel_js_gzip).
 */
import { Deferred } from './Deferred';

const loadStatus = () => import('./CaptureStatus').then((m) => m.CaptureStatus);
const loadPasteExtras = () => import('./PasteExtras').then((m) => m.PasteExtras);
const loadDuplicateOffer = () => import('./DuplicateOffer').then((m) => m.DuplicateOffer);

export const CaptureStatusSlot = () => <Deferred load={loadStatus} props={{}} />;
export const PasteExtrasSlot = () => <Deferred load={loadPasteExtras} props={{}} />;
export const DuplicateOfferSlot = () => <Deferred load={loadDuplicateOffer} props={{}} />;
