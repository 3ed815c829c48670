import { DataSection } from './data-section';
import { DeleteAccountSection } from './delete-account-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';
import { SessionsSection } from './sessions-section';
import { TimePreferencesSection } from './time-preferences-section';

export function AccountPage() {
  return (
    <main id="main" className="page">
      <title>Account · MicroNote</title>
      <div className="account">
        <div className="page-header">
          <div>
            <h1 className="page-title">Account</h1>
            <p className="page-subtitle">Your profile, sign-ins and data.</p>
          </div>
        </div>
        <ProfileSection />
        <TimePreferencesSection />
        <PasswordSection />
        <SessionsSection />
        <DataSection />
        <DeleteAccountSection />
      </div>
    </main>
  );
}
