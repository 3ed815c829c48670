import { useTranslation } from 'react-i18next';

import { dismissUpdate, usePendingUpdate } from './service-worker';

/** "A new version is ready": stays until the user reloads or dismisses it (a toast would vanish). */
export function UpdatePrompt() {
  const update = usePendingUpdate();
  const { t } = useTranslation('pwa');
  if (!update) return null;
  return (
    <div className="toast update-prompt" role="status">
      <span>{t('updateReady')}</span>
      <button type="button" className="btn btn-primary btn-sm" onClick={() => update.activate()}>
        {t('reload')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={dismissUpdate}>
        {t('later')}
      </button>
    </div>
  );
}
