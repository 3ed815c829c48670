import type { UpdateProfileRequest, User } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
import { useId, useState } from 'react';

import { ErrorState, SkeletonList } from '../../../components/states';
import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useMe } from '../../../lib/auth';
import { browserLocale, browserTimeZone, isLocale } from '../../../lib/preferences';
import { toast } from '../../../lib/toast';
import { useUpdateProfile } from '../api/update-profile';

const FIELDS = ['timeZone', 'locale'] as const;
/** A fixed instant to show what dates will look like. */
const SAMPLE = Date.parse('2026-03-06T14:30:00Z');

/** The zones this browser knows, UTC first. */
function timeZones(current: string | null): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...(current ? [current] : []), ...zones])];
}

function sample(locale: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(SAMPLE);
  } catch {
    return '';
  }
}

/** Time zone and locale of the profile: the todos' "today", due times and how dates are written. */
export function TimePreferencesSection() {
  const me = useMe();
  return (
    <section className="card card-section" aria-labelledby="time-title">
      <h2 id="time-title" className="card-title">
        Time zone and language
      </h2>
      <p className="card-lead">Which day is “today” for your todos, and how dates and times are written.</p>
      {me.data ? (
        <TimePreferencesForm key={me.data.updatedAt} user={me.data} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <SkeletonList rows={2} label="Loading time zone and language" />
      )}
    </section>
  );
}

export function TimePreferencesForm({ user }: { user: User }) {
  const id = useId();
  const [timeZone, setTimeZone] = useState(user.timeZone ?? '');
  const [locale, setLocale] = useState(user.locale ?? '');
  const update = useUpdateProfile({ onSuccess: () => toast.success('Time zone and language saved') });
  const localeValid = locale.trim() === '' || isLocale(locale.trim());
  const sorted = update.error instanceof ApiError && update.error.status === 400 ? update.error.fieldErrors(FIELDS) : null;
  const formError = update.error && !sorted ? errorMessage(update.error) : sorted?.other.join(' ');

  const patch: UpdateProfileRequest = {};
  if ((timeZone || null) !== user.timeZone) patch.timeZone = timeZone || null;
  if ((locale.trim() || null) !== user.locale) patch.locale = locale.trim() || null;
  const changed = Object.keys(patch).length > 0;
  const shownZone = timeZone || browserTimeZone();
  const shownLocale = (localeValid && locale.trim()) || browserLocale();

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (changed && localeValid) update.mutate(patch);
      }}
    >
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-zone`} className="field-label">
          Time zone
        </label>
        <select
          id={`${id}-zone`}
          className="select"
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          aria-invalid={sorted?.fields.timeZone ? true : undefined}
          aria-describedby={sorted?.fields.timeZone ? `${id}-zone-error` : undefined}
        >
          <option value="">Browser default ({browserTimeZone().replace(/_/g, ' ')})</option>
          {timeZones(user.timeZone).map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        {sorted?.fields.timeZone && (
          <p id={`${id}-zone-error`} className="field-error">
            {sorted.fields.timeZone}
          </p>
        )}
      </div>
      <TextField
        label="Locale"
        name="locale"
        list={`${id}-locales`}
        placeholder={`Browser default (${browserLocale()})`}
        maxLength={USER_LIMITS.locale.max}
        value={locale}
        onChange={(e) => setLocale(e.target.value)}
        hint={`A language tag such as en-GB or de-DE. Dates will look like: ${sample(shownLocale, shownZone)}`}
        error={!localeValid ? 'Not a language tag this browser knows (e.g. en-US, fr-FR).' : sorted?.fields.locale}
      />
      <datalist id={`${id}-locales`}>
        {['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'ja-JP', 'zh-CN'].map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending || !changed || !localeValid}>
          {update.isPending ? 'Saving…' : 'Save time zone and language'}
        </button>
      </div>
    </form>
  );
}
