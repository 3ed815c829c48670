import { USER_LIMITS } from '@micronote/contracts';
import { useState } from 'react';

import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { toast } from '../../../lib/toast';
import { useChangePassword } from '../api/change-password';

const EMPTY = { currentPassword: '', newPassword: '', confirm: '' };

export function PasswordSection() {
  const [values, setValues] = useState(EMPTY);
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword({
    onSuccess: () => {
      setValues(EMPTY);
      toast.success('Password changed. Your other sessions were signed out.');
    },
  });
  const sorted =
    change.error instanceof ApiError && (change.error.status === 400 || change.error.status === 403)
      ? change.error.fieldErrors(['currentPassword', 'newPassword'] as const, { WRONG_PASSWORD: 'currentPassword' })
      : null;
  const formError = change.error && !sorted ? errorMessage(change.error) : sorted?.other.join(' ');

  return (
    <section className="card card-section" aria-labelledby="password-title">
      <h2 id="password-title" className="card-title">
        Password
      </h2>
      <p className="card-lead">Changing it signs out every other device.</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (values.newPassword !== values.confirm) return setMismatch(true);
          setMismatch(false);
          change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
        }}
      >
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={values.currentPassword}
          onChange={(e) => setValues((v) => ({ ...v, currentPassword: e.target.value }))}
          error={sorted?.fields.currentPassword}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          maxLength={USER_LIMITS.password.max}
          hint={`At least ${USER_LIMITS.password.min} characters.`}
          value={values.newPassword}
          onChange={(e) => setValues((v) => ({ ...v, newPassword: e.target.value }))}
          error={sorted?.fields.newPassword}
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          value={values.confirm}
          onChange={(e) => setValues((v) => ({ ...v, confirm: e.target.value }))}
          error={mismatch ? 'The two new passwords differ' : undefined}
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={change.isPending || !values.currentPassword || !values.newPassword}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
