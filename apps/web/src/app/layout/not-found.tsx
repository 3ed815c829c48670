import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="splash">
      <title>{`${t('notFound.title')} · MicroNote`}</title>
      <div className="empty-state">
        <h1 className="empty-state-title">{t('notFound.heading')}</h1>
        <p>
          <Link to="/notes">{t('notFound.toNotes')}</Link>
        </p>
      </div>
    </main>
  );
}
