// How the office follows core and the desktop shell: the first state it loads, and the events that change it —
// session, sync status, settings, a kense:// link to open (app.openDocument) and core's process restarting under
// the desktop app (app.coreRestarted: reload what is shown; after repeated crashes, the CORE_FAILED screen).
import type { DocumentRef, KenseApi, SessionStatus, Settings } from '../../../contract/ipc';
import { currentLocale, i18n, setLanguage } from '../i18n';
import { useOffice } from '../state/store';

/** Session, sync status and settings as core has them now. */
export async function loadState(api: KenseApi): Promise<void> {
  const [session, sync, settings] = await Promise.all([api.invoke('session.status'), api.invoke('sync.status'), api.invoke('settings.get')]);
  applySettings(settings);
  useOffice.setState({ sync });
  if (session.state === 'signed_in' && useOffice.getState().pendingOpen) signedIn(session);
  else useOffice.setState({ session });
}

export function applySettings(settings: Settings): void {
  useOffice.setState({ settings });
  if (settings.language !== currentLocale()) setLanguage(settings.language);
}

/** A session that has just been opened: home, or the document a link asked for while nobody was signed in. */
export function signedIn(session: SessionStatus): void {
  const pending = useOffice.getState().pendingOpen;
  useOffice.setState({ session, pendingOpen: null, route: pending ? { name: 'documents', tab: 'all', open: pending } : { name: 'home' } });
}

/** A kense:// link: open the document now, or right after sign-in. */
export function openDocument(ref: DocumentRef): void {
  if (useOffice.getState().session?.state === 'signed_in') useOffice.getState().setRoute({ name: 'documents', tab: 'all', open: ref });
  else useOffice.setState({ pendingOpen: ref });
}

/** Subscribes the office to core's events; returns the function that unsubscribes. */
export function wireCore(api: KenseApi): () => void {
  const offs = [
    api.on('session.changed', (session) => {
      const before = useOffice.getState().session?.state;
      if (session.state === 'signed_in' && before !== 'signed_in') signedIn(session);
      else useOffice.setState({ session });
    }),
    api.on('sync.status', (sync) => useOffice.setState({ sync })),
    api.on('session.expired', () => void api.invoke('session.status').then((session) => useOffice.setState({ session }), () => undefined)),
    api.on('data.changed', (p) => {
      if (p.entities.includes('settings')) void api.invoke('settings.get').then(applySettings, () => undefined);
    }),
    api.on('app.openDocument', openDocument),
    api.on('app.coreRestarted', (p) => {
      if (p.gaveUp) {
        useOffice.setState({ fatal: p.error ?? { code: 'CORE_FAILED' } });
        return;
      }
      useOffice.getState().toast({ kind: 'info', title: i18n.t('app.coreRestartedTitle'), text: i18n.t('app.coreRestartedText') });
      void loadState(api).catch(() => undefined);
    }),
  ];
  return () => offs.forEach((off) => off());
}
