import { SkeletonList } from '../../../components/states';
import type { WebPushStatus } from '../../../lib/web-push';
import { useToggleWebPush, useWebPushStatus } from '../../../lib/web-push';

/** What each state says, and which button it offers. */
function describe(status: WebPushStatus): { text: string; action?: 'enable' | 'disable' | 'retry' } {
  switch (status.state) {
    case 'unsupported':
      return { text: `${status.reason} Reminders still show in every open MicroNote tab.` };
    case 'default':
      return {
        text: 'Reminders show only while MicroNote is open. Enabling asks your browser for permission.',
        action: 'enable',
      };
    case 'subscribed':
      return { text: 'This browser shows each reminder as a notification, even when MicroNote is closed.', action: 'disable' };
    case 'denied':
      return {
        text:
          'Notifications from MicroNote were refused in this browser, and only the browser can undo that. Open the site ' +
          'settings (the icon left of the address), set Notifications to Allow, then check again.',
        action: 'retry',
      };
    case 'error':
      return { text: `Something went wrong: ${status.message}`, action: 'retry' };
  }
}

const STATE_LABEL: Record<WebPushStatus['state'], string> = {
  unsupported: 'Not available',
  default: 'Off',
  subscribed: 'On',
  denied: 'Blocked',
  error: 'Error',
};

/**
 * Browser notifications (Web Push) for reminders, per browser: the state, and the one thing to do
 * about it. The permission prompt opens only from the Enable button, never by itself.
 */
export function BrowserNotificationsSection() {
  const status = useWebPushStatus();
  const toggle = useToggleWebPush();
  // Enabling or disabling puts its answer into the status query.
  const shown = status.data;
  const info = shown ? describe(shown) : null;

  return (
    <section className="card card-section" aria-labelledby="push-title">
      <h2 id="push-title" className="card-title">
        Browser notifications
      </h2>
      <p className="card-lead">Get your todo reminders from this browser even when MicroNote is closed.</p>
      {!shown || !info ? (
        <SkeletonList rows={1} label="Checking browser notifications" />
      ) : (
        <div className="push-settings" data-state={shown.state}>
          <p className="push-status" role="status">
            <span className={`badge push-badge push-${shown.state}`}>{STATE_LABEL[shown.state]}</span> {info.text}
          </p>
          {info.action && (
            <div className="form-actions">
              <button
                type="button"
                className={info.action === 'enable' ? 'btn btn-primary' : 'btn btn-secondary'}
                disabled={toggle.isPending || status.isFetching}
                onClick={() => {
                  if (info.action === 'retry') void status.refetch();
                  else toggle.mutate(info.action === 'enable');
                }}
              >
                {toggle.isPending
                  ? info.action === 'disable'
                    ? 'Turning off…'
                    : 'Enabling…'
                  : info.action === 'enable'
                    ? 'Enable browser notifications'
                    : info.action === 'disable'
                      ? 'Turn off'
                      : 'Check again'}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
