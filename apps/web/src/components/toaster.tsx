import { dismissToast, useToasts } from '../lib/toast';
import { CloseIcon } from './icons';

/** The toasts, in a polite live region (errors assertive). */
export function Toaster() {
  const toasts = useToasts();
  return (
    <div className="toaster" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-message">{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="btn btn-ghost btn-sm toast-action"
              onClick={() => {
                t.action?.run();
                dismissToast(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="icon-btn toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            <CloseIcon width={16} height={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
