import { USER_LIMITS } from '@micronote/contracts';
import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useRegisterUser } from '../api/register-user';
import { AuthLayout } from './auth-layout';

const FIELDS = ['name', 'email', 'username', 'password'] as const;
type Field = (typeof FIELDS)[number];

export function RegisterPage() {
  const location = useLocation();
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', username: '', password: '' });
  const register = useRegisterUser();

  // The API validates; its messages are shown under the fields they are about.
  const sorted =
    register.error instanceof ApiError && (register.error.status === 400 || register.error.status === 409)
      ? register.error.fieldErrors(FIELDS, { EMAIL_TAKEN: 'email', USERNAME_TAKEN: 'username' })
      : null;
  const formError = register.error && !sorted ? errorMessage(register.error) : sorted?.other.join(' ');

  const field = (name: Field) => ({
    name,
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: sorted?.fields[name],
  });

  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" state={location.state}>
            Sign in
          </Link>
        </>
      }
    >
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          register.mutate({ ...values, name: values.name.trim(), email: values.email.trim() });
        }}
      >
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <TextField label="Name" autoComplete="name" maxLength={USER_LIMITS.name.max} required {...field('name')} />
        <TextField label="Email" type="email" autoComplete="email" maxLength={USER_LIMITS.email.max} required {...field('email')} />
        <TextField
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={USER_LIMITS.username.max}
          hint="3–20 letters, digits or underscores."
          required
          {...field('username')}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          maxLength={USER_LIMITS.password.max}
          hint={`At least ${USER_LIMITS.password.min} characters.`}
          required
          {...field('password')}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={register.isPending}>
          {register.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
