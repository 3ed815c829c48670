// Unit tests render components without the app's entry point: the i18n instance (English) is
// set up for every test file, as main.tsx does for the app.
import './i18n';
