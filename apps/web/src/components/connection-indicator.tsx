import { useTranslation } from 'react-i18next';

import { useRealtimeStatus } from '../lib/socket';

/** The realtime connection's state: a dot with a word (never colour alone). */
export function ConnectionIndicator() {
  const status = useRealtimeStatus();
  const { t } = useTranslation();
  return (
    <span className={`connection connection-${status}`} role="status" title={t(`connection.${status}Title`)} data-status={status}>
      <span className="visually-hidden">{t('connection.prefix')}</span>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{t(`connection.${status}`)}</span>
    </span>
  );
}
