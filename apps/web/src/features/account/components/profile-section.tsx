import type { User } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
import { useState } from 'react';

import { ErrorState, SkeletonList } from '../../../components/states';
import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useMe } from '../../../lib/auth';
import { toast } from '../../../lib/toast';
import { useUpdateProfile } from '../api/update-profile';

const FIELDS = ['name', 'email', 'username'] as const;
type Field = (typeof FIELDS)[number];
/** Error codes that belong under the password field (a new e-mail needs the current password). */
const PASSWORD_CODES = { WRONG_PASSWORD: 'currentPassword', CURRENT_PASSWORD_REQUIRED: 'currentPassword' } as const;

export function ProfileSection() {
  const me = useMe();
  return (
    <section className="card card-section" aria-labelledby="profile-title">
      <h2 id="profile-title" className="card-title">
        Profile
      </h2>
      <p className="card-lead">How you appear and how you sign in.</p>
      {me.data ? (
        // Re-created when the profile changes elsewhere (another tab), so the fields show it.
        <ProfileForm key={me.data.updatedAt} user={me.data} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <SkeletonList rows={3} label="Loading profile" />
      )}
    </section>
  );
}

export function ProfileForm({ user }: { user: User }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: user.name, email: user.email, username: user.username });
  const [currentPassword, setCurrentPassword] = useState('');
  const update = useUpdateProfile({
    onSuccess: () => {
      setCurrentPassword('');
      toast.success('Profile saved');
    },
  });
  const sorted =
    update.error instanceof ApiError && [400, 403, 409].includes(update.error.status)
      ? update.error.fieldErrors([...FIELDS, 'currentPassword'] as const, { EMAIL_TAKEN: 'email', USERNAME_TAKEN: 'username', ...PASSWORD_CODES })
      : null;
  const formError = update.error && !sorted ? errorMessage(update.error) : sorted?.other.join(' ');
  const changed = FIELDS.filter((f) => values[f].trim() !== user[f]);
  // The server stores e-mails lower-case: only another address needs the password.
  const emailChanged = values.email.trim().toLowerCase() !== user.email;

  const field = (name: Field) => ({
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: sorted?.fields[name],
  });

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({
          ...Object.fromEntries(changed.map((f) => [f, values[f].trim()])),
          ...(emailChanged ? { currentPassword } : {}),
        });
      }}
    >
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <TextField label="Name" autoComplete="name" maxLength={USER_LIMITS.name.max} {...field('name')} />
      <TextField label="Email" type="email" autoComplete="email" maxLength={USER_LIMITS.email.max} {...field('email')} />
      {emailChanged && (
        <TextField
          label="Current password for the new email"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          hint="Changing the email needs your password."
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={sorted?.fields.currentPassword}
        />
      )}
      <TextField
        label="Username"
        autoComplete="username"
        maxLength={USER_LIMITS.username.max}
        hint="3–20 letters, digits or underscores."
        {...field('username')}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending || changed.length === 0 || (emailChanged && !currentPassword)}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
