// Entry of the office: language, connection to core (desktop preload or headless host), live state, first screen.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import './ui/app.css';
import { currentLocale, i18n } from './i18n';
import { connect } from './api/transport';
import { useOffice } from './state/store';
import { App } from './app/App';
import { loadState, wireCore } from './app/wire';

// Marks on the way to an interactive office (bench/office.bench.ts reads them with the navigation timing).
performance.mark('kense:script');
const conn = connect(currentLocale);
const { api } = conn;
useOffice.setState({ api, connection: conn.state() });
conn.onState((connection) => useOffice.setState({ connection }));

async function boot(): Promise<void> {
  if (conn.state() === 'no_token') return;
  wireCore(api);
  await loadState(api);
  performance.mark('kense:state');
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
