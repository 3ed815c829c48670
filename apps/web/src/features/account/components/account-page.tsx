import { PageTitle } from '../../../components/page-title';
import { BrowserNotificationsSection } from './browser-notifications-section';
import { DataSection } from './data-section';
import { DeleteAccountSection } from './delete-account-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';
import { SessionsSection } from './sessions-section';
import { TimePreferencesSection } from './time-preferences-section';

export function AccountPage() {
  return (
    <main id="main" className="page">
      <PageTitle>Account · MicroNote</PageTitle>
      <div className="account">
        <div className="page-header">
          <div>
            <h1 className="page-title">Account</h1>
            <p className="page-subtitle">Your profile, sign-ins and data.</p>
          </div>
        </div>
        <ProfileSection />
        <TimePreferencesSection />
        <BrowserNotificationsSection />
        <PasswordSection />
        <SessionsSection />
        <DataSection />
        <DeleteAccountSection />
      </div>
    </main>
  );
}
