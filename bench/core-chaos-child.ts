// The process the kill test kills: core over a profile folder, signing acts with the test key and syncing with the
// cloud, in a loop, until SIGKILL. Lines on stdout tell the parent what happened (an act is reported SIGNED only
// after core returned — i.e. after its transaction committed). KENSE_CHAOS_FINAL=1: sync to the end and exit.
import { integrityCheck } from '../electron/core/store/database';
import { Core } from '../electron/core/core';
import { coreDispatcher } from '../electron/core/ipc/handlers';
import { FileKeyVault } from '../electron/core/store/key-vault';
import { createKenseClient } from '../contract/ipc';
import path from 'node:path';

const env = process.env;
const root = env.KENSE_CHAOS_ROOT as string;
const cloudUrl = env.KENSE_CHAOS_CLOUD as string;
const keyFile = env.KENSE_CHAOS_P12 as string;
let state = Number(env.KENSE_CHAOS_SEED ?? 1) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const core = new Core({ root, vault: new FileKeyVault(path.join(root, 'keys')), appVersion: '0.1.0', platform: 'cli', deviceName: 'chaos', cloudUrl, autoSync: false, random });
  const dispatcher = coreDispatcher(core);
  const api = createKenseClient({ invoke: (op, input) => dispatcher.dispatch(op, input), subscribe: (e, l) => core.events.on(e as never, l as never) });
  const signIn = () => api.invoke('session.signInWithPassword', { iin: '123456789011', password: 'Kense-Demo-2026!' });
  let s = await core.start();
  if (s.state === 'signed_out') {
    await signIn();
    say('LOGIN');
  } else {
    const p = core.require();
    say(`OPEN ${integrityCheck(p.store.w)} pending=${(await api.invoke('sync.status')).pendingMutations}`);
    if (s.state === 'needs_sign_in') {
      s = await signIn();
      say('RELOGIN');
    }
  }
  say('READY');
  if (env.KENSE_CHAOS_FINAL) {
    let st = await api.invoke('sync.now', { wait: true });
    for (let i = 0; i < 30 && (st.pendingMutations > 0 || st.lastError); i++) {
      if (st.state === 'needs_sign_in') await signIn();
      await new Promise((r) => setTimeout(r, 200));
      st = await api.invoke('sync.now', { wait: true });
    }
    say(`FINAL pending=${st.pendingMutations} conflicts=${st.conflicts} rejected=${st.rejected} error=${st.lastError?.code ?? 'none'}`);
    await core.close();
    return;
  }
  for (;;) {
    if (random() < 0.06) {
      // a whole re-download: kills land in the middle of pulling pages
      await api.invoke('cache.resync').catch((e: Error) => say(`ERROR resync ${e.message}`));
      say('RESYNCED');
      continue;
    }
    const rows = (await api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 40 })).items;
    if (rows.length === 0) {
      say('EXHAUSTED');
      await api.invoke('sync.now', { wait: true });
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const start = Math.floor(random() * Math.max(1, rows.length - 3));
    const pick = rows.slice(start, start + 1 + Math.floor(random() * 3)).map((r) => ({ kind: r.kind, id: r.id }));
    const r = await api.invoke('documents.sign', { items: pick, via: 'p12', p12Path: keyFile, password: 'Qwerty12' });
    for (const x of r.results) say(x.ok ? `SIGNED ${x.ref.id}` : `NOTSIGNED ${x.ref.id} ${x.error?.code}`);
    const st = await api.invoke('sync.now', { wait: true });
    if (st.state === 'needs_sign_in') {
      await signIn();
      say('RELOGIN');
    }
    say(`SYNCED pending=${st.pendingMutations}`);
  }
}

main().catch((e: Error) => {
  say(`CRASH ${e.message}`);
  process.exit(3);
});
