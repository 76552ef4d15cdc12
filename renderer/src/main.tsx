// Entry of the office: language, connection to core (desktop preload or headless host), live state, first screen.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import './ui/app.css';
import { currentLocale, i18n, setLanguage } from './i18n';
import { connect } from './api/transport';
import { useOffice } from './state/store';
import { App } from './app/App';

const conn = connect(currentLocale);
const { api } = conn;
useOffice.setState({ api, connection: conn.state() });
conn.onState((connection) => useOffice.setState({ connection }));

async function boot(): Promise<void> {
  if (conn.state() === 'no_token') return;
  api.on('session.changed', (session) => useOffice.setState({ session }));
  api.on('sync.status', (sync) => useOffice.setState({ sync }));
  api.on('session.expired', () => void api.invoke('session.status').then((session) => useOffice.setState({ session })));
  api.on('data.changed', (p) => {
    if (p.entities.includes('settings')) void api.invoke('settings.get').then(applySettings);
  });
  const [session, sync, settings] = await Promise.all([api.invoke('session.status'), api.invoke('sync.status'), api.invoke('settings.get')]);
  applySettings(settings);
  useOffice.setState({ session, sync });
}

function applySettings(settings: Awaited<ReturnType<typeof api.invoke<'settings.get'>>>): void {
  useOffice.setState({ settings });
  if (settings.language !== currentLocale()) setLanguage(settings.language);
}

void boot().catch(() => useOffice.setState({ connection: 'closed' }));

document.documentElement.lang = currentLocale();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
