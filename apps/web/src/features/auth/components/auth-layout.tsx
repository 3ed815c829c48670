import type { ReactNode } from 'react';

/** The centred card of the sign-in and registration pages. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <title>{`${title} · MicroNote`}</title>
      <div className="auth-card">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">M</span>
          <span>MicroNote</span>
        </div>
        <h1 className="auth-title">{title}</h1>
        {children}
        <p className="auth-footer">{footer}</p>
      </div>
    </main>
  );
}
