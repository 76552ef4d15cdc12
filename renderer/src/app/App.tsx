// The office frame: navigation (Alt+1…7), the screen of the current route, the status bar that never goes away.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, useOffice, type Route } from '../state/store';
import { StatusBar } from './StatusBar';
import { Toasts } from '../ui/Toasts';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Brand, Icon, type IconName } from '../ui/icons';
import { SignIn } from '../screens/SignIn';
import { Home } from '../screens/Home';
import { Documents } from '../screens/Documents';
import { DropVerify } from '../screens/DropVerify';

const Billing = lazy(() => import('../screens/Billing').then((m) => ({ default: m.Billing })));
const Reconciliation = lazy(() => import('../screens/Reconciliation').then((m) => ({ default: m.Reconciliation })));
const Company = lazy(() => import('../screens/Company').then((m) => ({ default: m.Company })));
const Support = lazy(() => import('../screens/Support').then((m) => ({ default: m.Support })));
const Settings = lazy(() => import('../screens/Settings').then((m) => ({ default: m.Settings })));

interface NavItem {
  route: Route['name'];
  icon: IconName;
  label: string;
  permission?: string;
}
const NAV: NavItem[] = [
  { route: 'home', icon: 'home', label: 'nav.home' },
  { route: 'documents', icon: 'documents', label: 'nav.documents', permission: 'acts.read' },
  { route: 'billing', icon: 'billing', label: 'nav.billing', permission: 'billing.read' },
  { route: 'reconciliation', icon: 'reconciliation', label: 'nav.reconciliation', permission: 'reconciliation' },
  { route: 'company', icon: 'company', label: 'nav.company' },
  { route: 'support', icon: 'support', label: 'nav.support' },
  { route: 'settings', icon: 'settings', label: 'nav.settings' },
];

export function visibleNav(permissions: readonly string[]): NavItem[] {
  return NAV.filter((n) => !n.permission || permissions.includes(n.permission));
}

export function App() {
  const { t } = useTranslation();
  const connection = useOffice((s) => s.connection);
  const session = useOffice((s) => s.session);
  const fatal = useOffice((s) => s.fatal);
  if (fatal) {
    return (
      <main className="loading" data-testid="core-failed">
        <div style={{ maxWidth: 560 }}>
          <ErrorNotice error={fatal} />
        </div>
      </main>
    );
  }
  if (connection === 'no_token' || connection === 'closed') {
    return (
      <main className="loading">
        <div className="notice danger" role="alert" style={{ maxWidth: 520 }}>
          <div className="grow">
            <strong>{t('app.disconnected')}</strong>
            <span>{connection === 'no_token' ? t('app.noToken') : t('app.disconnectedAction')}</span>
          </div>
        </div>
      </main>
    );
  }
  if (!session) return <main className="loading">{t('app.connecting')}</main>;
  if (session.state !== 'signed_in') return <SignIn />;
  return <Office />;
}

function Office() {
  const { t } = useTranslation();
  const route = useOffice((s) => s.route);
  const session = useOffice((s) => s.session)!;
  const setRoute = useOffice((s) => s.setRoute);
  const nav = visibleNav(session.permissions);
  const sync = useOffice((s) => s.sync);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= nav.length) {
        e.preventDefault();
        setRoute({ name: nav[n - 1].route } as Route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [nav, setRoute]);

  // A route the role may not open falls back to home (e.g. a viewer following an old link to documents).
  const allowed = nav.some((n) => n.route === route.name);
  const current: Route = allowed ? route : { name: 'home' };
  const profile = session.profile;

  let screen: ReactNode;
  switch (current.name) {
    case 'home': screen = <Home />; break;
    case 'documents': screen = <Documents route={current} />; break;
    case 'billing': screen = <Billing />; break;
    case 'reconciliation': screen = <Reconciliation />; break;
    case 'company': screen = <Company />; break;
    case 'support': screen = <Support />; break;
    case 'settings': screen = <Settings />; break;
  }

  return (
    <div className="app">
      <a className="sr-only" href="#main">{t('app.skip')}</a>
      <nav className="nav" aria-label={t('nav.label')}>
        <Brand name={t('app.name')} tagline={t('app.tagline')} />
        {nav.map((n, i) => (
          <button
            key={n.route}
            className="nav-link"
            aria-current={current.name === n.route ? 'page' : undefined}
            onClick={() => setRoute({ name: n.route } as Route)}
            data-testid={`nav-${n.route}`}
            aria-keyshortcuts={`Alt+${i + 1}`}
          >
            <Icon name={n.icon} />
            {t(n.label)}
            {n.route === 'documents' && sync && sync.pendingMutations > 0 ? <span className="badge count" aria-hidden="true">{sync.pendingMutations}</span> : <span className="nav-kbd" aria-hidden="true">Alt+{i + 1}</span>}
          </button>
        ))}
        <div className="nav-spacer" />
        <div className="nav-user" data-testid="nav-user">
          <strong>{profile?.userName}</strong>
          <span className="faint">{session.role ? t(`nav.role.${session.role}`) : ''}</span>
          <div className="faint">{session.company?.name ?? profile?.companyName}</div>
          <button className="link" onClick={() => void api().invoke('session.signOut', {}).then((s) => useOffice.setState({ session: s }))}>
            {t('nav.signOut')}
          </button>
        </div>
      </nav>
      {/* Focusable: the content scrolls here, and the keyboard must be able to scroll it (also the skip link's target). */}
      <main className="main" id="main" tabIndex={0} aria-label={t('app.mainLabel')}>
        <Suspense fallback={<div className="loading">{t('app.loading')}</div>}>{screen}</Suspense>
      </main>
      <StatusBar />
      <Toasts />
      <DropVerify />
    </div>
  );
}
