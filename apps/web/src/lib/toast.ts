import { createStore, useStore } from './store';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** An optional button in the toast, e.g. Undo. */
  action?: { label: string; run: () => void };
}

const toasts = createStore<Toast[]>([]);
let nextId = 1;
const DURATION_MS = { info: 4000, success: 4000, error: 7000 } as const;

export function dismissToast(id: number): void {
  toasts.set((list) => list.filter((t) => t.id !== id));
}

/** Shows a message for a few seconds (the same message is not stacked twice). */
export function toast(message: string, kind: ToastKind = 'info', action?: Toast['action']): number {
  const existing = toasts.get().find((t) => t.message === message && t.kind === kind);
  if (existing) return existing.id;
  const id = nextId++;
  toasts.set((list) => [...list.slice(-3), { id, kind, message, action }]);
  setTimeout(() => dismissToast(id), action ? DURATION_MS.error : DURATION_MS[kind]);
  return id;
}

toast.success = (message: string, action?: Toast['action']) => toast(message, 'success', action);
toast.error = (message: string) => toast(message, 'error');

export const useToasts = (): Toast[] => useStore(toasts);
