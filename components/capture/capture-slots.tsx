/**
 * The first-paint stand-ins for the capture UI: each renders nothing until its
 * lazily loaded part arrives (right after first paint), so the panel's initial
 * JavaScript carries only the two buttons (see `npm run bench`,
 * sidepanel_js_gzip).
 */
import { Lazy } from '../shell/Lazy';

const loadStatus = () => import('./CaptureStatus').then((m) => m.CaptureStatus);
const loadPasteExtras = () => import('./PasteExtras').then((m) => m.PasteExtras);
const loadDuplicateOffer = () => import('../quick-create/DuplicateOffer').then((m) => m.DuplicateOffer);

export const CaptureStatusSlot = () => <Lazy load={loadStatus} props={{}} quiet />;
export const PasteExtrasSlot = () => <Lazy load={loadPasteExtras} props={{}} quiet />;
export const DuplicateOfferSlot = () => <Lazy load={loadDuplicateOffer} props={{}} quiet />;
