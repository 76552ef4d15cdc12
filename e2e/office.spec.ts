// The director's path end to end, as CI runs it: headless host (real core, demo cloud, NCALayer emulator over wss),
// Debian Chromium. Sign in with a test key; home shows data; sign three acts in one batch; stop the cloud; sign two
// more offline (waiting to sync); restart the host (still there); start the cloud; watch them sync; refuse an act
// with a reason; a blocked tariff turns outgoing actions off with an explanation; switch to Kazakh; a viewer sees no
// acts; keyboard-only signing of the next act; axe finds no serious violations. Screenshots: e2e/artifacts/.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS, startHost, type Host } from './host';

const DEMO_PASSWORD = 'Kense-Demo-2026!';
const VIEWER_ROLE = 'viewer';
/** A real 1×1 PNG (the cloud checks a screenshot's magic bytes). */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** Server states of a document our side has signed. */
const SIGNED_BY_US = /^(signed_by_us|signed_by_both|signed)$/;

test.describe.configure({ mode: 'serial' });

let dataDir: string;
let host: Host;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

async function openDocuments(page: Page, tab: 'all' | 'awaiting' = 'awaiting'): Promise<void> {
  await page.getByTestId('nav-documents').click();
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId('doc-row').first()).toHaveAttribute('data-number', /.+/);
}

function rowNumbered(page: Page, n: string) {
  return page.locator(`[data-testid="doc-row"][data-number="${n}"]`);
}

/** Home with its data and its charts drawn (ECharts loads after the screen). */
async function homeReady(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="screen-home"][data-ready]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.chart canvas').first()).toBeVisible();
}

async function axe(page: Page, where: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${where}: ${v.id} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`).join('; ')}`)).toEqual([]);
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kense-e2e-'));
  host = await startHost(dataDir);
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the director signs, works offline, survives a restart and syncs', async ({ page }) => {
  await page.goto(host.url);
  // Sign in with a test key through the NCALayer emulator.
  await expect(page.getByTestId('signin-key')).toBeVisible();
  await expect(page.getByTestId('ncalayer-state')).toContainText(/работает/);
  await shot(page, '01-sign-in');
  await axe(page, 'sign-in');
  await page.getByTestId('signin-key-submit').click();

  // Home shows data.
  await expect(page.getByTestId('screen-home')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('kpi-money')).toContainText('₸', { timeout: 60_000 });
  await expect(page.getByTestId('home-awaiting')).toBeVisible();
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'yes');
  await homeReady(page);
  await shot(page, '02-home');
  await axe(page, 'home');

  // Sign three acts in one batch.
  await openDocuments(page);
  const rows = page.getByTestId('doc-row');
  const batch: string[] = [];
  for (let i = 0; i < 3; i++) {
    batch.push((await rows.nth(i).getAttribute('data-number'))!);
    await rows.nth(i).getByRole('checkbox').check();
  }
  await expect(page.getByTestId('selection-bar')).toContainText('3');
  await shot(page, '03-documents-batch');
  await axe(page, 'documents');
  await page.getByTestId('sign-selected').click();
  await expect(page.getByTestId('sign-dialog')).toBeVisible();
  await shot(page, '03b-sign-dialog');
  await page.getByTestId('sign-confirm').click();
  await expect(page.getByTestId('sign-dialog')).toBeHidden({ timeout: 60_000 });
  // All three are signed here and then confirmed by the cloud (the local overlay is gone, nothing waits to sync).
  await page.getByTestId('tab-all').click();
  for (const n of batch) {
    await page.getByTestId('docs-search').fill(n);
    await expect(rowNumbered(page, n)).toHaveAttribute('data-state', SIGNED_BY_US, { timeout: 60_000 });
    await expect(rowNumbered(page, n)).toHaveAttribute('data-local-state', 'synced', { timeout: 60_000 });
  }
  await expect(page.getByTestId('status-pending')).toHaveAttribute('data-pending', '0', { timeout: 60_000 });
  await page.getByTestId('docs-search').fill('');

  // Stop the cloud; sign two more offline: they show "waiting to sync".
  await host.cloud('stop');
  await page.getByTestId('status-online').getByText(/.+/).first().waitFor();
  await page.getByRole('button', { name: /Синхронизировать/ }).click();
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-online', 'no', { timeout: 60_000 });
  await openDocuments(page);
  const offline: string[] = [];
  for (let i = 0; i < 2; i++) {
    offline.push((await rows.nth(i).getAttribute('data-number'))!);
    await rows.nth(i).getByRole('checkbox').check();
  }
  await page.getByTestId('sign-selected').click();
  await expect(page.getByTestId('sign-offline-note')).toBeVisible();
  await page.getByTestId('sign-confirm').click();
  await expect(page.getByTestId('sign-dialog')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('status-pending')).toHaveAttribute('data-pending', '2');
  await page.getByTestId('tab-all').click();
  for (const n of offline) {
    await page.getByTestId('docs-search').fill(n);
    await expect(rowNumbered(page, n)).toHaveAttribute('data-local-state', 'signed_locally');
  }
  await rowNumbered(page, offline[1]).click();
  await expect(page.getByTestId('waiting-sync')).toBeVisible();
  await shot(page, '04-offline-waiting-to-sync');

  // Restart the host: the two signatures are still there, still waiting.
  await host.stop();
  host = await startHost(dataDir);
  await host.cloud('stop');
  await page.goto(host.url);
  await expect(page.getByTestId('status-pending')).toHaveAttribute('data-pending', '2', { timeout: 60_000 });
  await openDocuments(page, 'all');
  await page.getByTestId('docs-search').fill(offline[0]);
  await expect(rowNumbered(page, offline[0])).toHaveAttribute('data-local-state', 'signed_locally');

  // Start the cloud: watch them sync.
  await host.cloud('start');
  await page.getByRole('button', { name: /Синхронизировать/ }).click();
  await expect(page.getByTestId('status-pending')).toHaveAttribute('data-pending', '0', { timeout: 90_000 });
  for (const n of offline) {
    await page.getByTestId('docs-search').fill(n);
    await expect(rowNumbered(page, n)).toHaveAttribute('data-local-state', 'synced', { timeout: 60_000 });
    await expect(rowNumbered(page, n)).toHaveAttribute('data-state', SIGNED_BY_US);
  }
  await rowNumbered(page, offline[1]).click();
  await expect(page.getByTestId('signatures')).toBeVisible();
  await expect(page.getByTestId('signatures')).toContainText('ТЕСТОВ ТЕСТ');
  await shot(page, '05-synced-detail');

  // Refuse an act with a reason: an incoming act the counterparty signed.
  await page.getByTestId('docs-search').fill('');
  await openDocuments(page);
  await page.getByTestId('tab-incoming').click();
  await page.getByTestId('filter-state').selectOption('signed_by_them');
  const incoming = page.locator('[data-testid="doc-row"][data-state="signed_by_them"]').first();
  const refused = (await incoming.getAttribute('data-number'))!;
  await incoming.click();
  await page.getByTestId('detail-refuse').click();
  await page.getByTestId('refuse-reason').fill('Объём работ не соответствует договору');
  await shot(page, '06-refuse');
  await page.getByTestId('refuse-confirm').click();
  await expect(page.getByTestId('refuse-dialog')).toBeHidden({ timeout: 60_000 });
  await page.getByTestId('filter-state').selectOption('');
  await page.getByTestId('tab-all').click();
  await page.getByTestId('docs-search').fill(refused);
  await expect(rowNumbered(page, refused)).toHaveAttribute('data-state', 'refused', { timeout: 60_000 });
  await expect(rowNumbered(page, refused)).toHaveAttribute('data-local-state', 'synced', { timeout: 60_000 });
  await rowNumbered(page, refused).click();
  await expect(page.getByTestId('document-detail')).toContainText('Объём работ не соответствует договору');

  // Keyboard only: Alt+2 opens the documents, N the next act to sign, S signs it, Enter confirms.
  await page.getByTestId('nav-home').click();
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('screen-documents')).toBeVisible();
  await page.keyboard.press('n');
  await expect(page.getByTestId('detail-number')).toBeVisible();
  const number = (await page.getByTestId('detail-number').getAttribute('data-number'))!;
  await page.keyboard.press('s');
  await expect(page.getByTestId('sign-dialog')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sign-dialog')).toBeHidden({ timeout: 60_000 });
  await page.keyboard.press('/');
  await page.keyboard.type(number);
  await expect(rowNumbered(page, number)).toHaveAttribute('data-state', SIGNED_BY_US, { timeout: 60_000 });

  // Billing, company, settings, reconciliation and support screens render (screenshots for review).
  for (const [nav, id, file] of [['billing', 'screen-billing', '07-billing'], ['reconciliation', 'screen-reconciliation', '08-reconciliation'], ['company', 'screen-company', '09-company'], ['support', 'screen-support', '10-support'], ['settings', 'screen-settings', '11-settings']] as const) {
    await page.getByTestId(`nav-${nav}`).click();
    await expect(page.getByTestId(id)).toBeVisible();
    await shot(page, file);
    await axe(page, nav);
  }

  // Support: a request with a screenshot and consent to the check report and logs (what will be sent is shown
  // first); its KS number and status show at once, without waiting for sync.
  await page.getByTestId('nav-support').click();
  await expect(page.getByTestId('support-form')).toBeVisible();
  await page.getByTestId('support-priority-high').check();
  await page.getByTestId('support-subject').fill('Не открывается NCALayer');
  await page.getByTestId('support-description').fill('Нажимаю «Подписать» — окно NCALayer не появляется.');
  await page.getByTestId('support-screenshot').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
  await expect(page.getByTestId('support-screenshot-preview')).toBeVisible();
  await page.getByTestId('support-attach-doctor').check();
  await page.getByTestId('support-attach-logs').check();
  await page.getByTestId('support-preview').click();
  await expect(page.getByTestId('support-preview-doctor_report')).toContainText('NCALayer:', { timeout: 30_000 });
  await expect(page.getByTestId('support-preview-logs')).toBeVisible();
  await shot(page, '10b-support-form');
  await page.getByTestId('support-send').click();
  const request = page.getByTestId('support-row').first();
  await expect(request).toHaveAttribute('data-number', /^KS-\d{6}$/, { timeout: 30_000 });
  await expect(request.getByTestId('support-status')).toHaveText('Открыто');
  await expect(page.getByTestId('support-ticket')).toContainText('screenshot.png');
  await shot(page, '10c-support-request');
  await axe(page, 'support request');
  await page.getByTestId('nav-settings').click();

  // Switch to Kazakh.
  await page.getByTestId('language-switch').locator('[data-lang="kk"]').click();
  await expect(page.getByTestId('nav-documents')).toContainText('Құжаттар');
  await page.getByTestId('nav-home').click();
  await homeReady(page);
  await expect(page.getByTestId('home-awaiting')).toContainText('Қолыңызды күтуде');
  await shot(page, '12-home-kk');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language-switch').locator('[data-lang="ru"]').click();
});

test('a blocked tariff turns outgoing actions off with an explanation', async ({ page }) => {
  // The tenant's latest invoice is made unpaid past its due date on the cloud's own storage (the server stopped:
  // PGlite serves one process); at start the cloud's billing cycle blocks the subscription and syncs it down.
  await host.cloud('stop');
  const { openDatabase } = await import('../cloud/src/db/connect');
  const db = await openDatabase({ dataDir: path.join(dataDir, 'demo', 'cloud') });
  try {
    const inv = await db.db.selectFrom('invoices').select(['id']).orderBy('period', 'desc').executeTakeFirstOrThrow();
    await db.db.deleteFrom('invoice_payments').where('invoice_id', '=', inv.id).execute();
    const due = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await db.db.updateTable('invoices').set({ paid_at: null, paid_amount: 0, payment_ref: null, due_on: due, issued_on: due }).where('id', '=', inv.id).execute();
  } finally {
    await db.close();
  }
  await host.cloud('start');
  await page.goto(host.url);
  await page.getByRole('button', { name: /Синхронизировать/ }).click();
  await expect(page.getByTestId('home-billing-notice')).toBeVisible({ timeout: 90_000 });
  await openDocuments(page);
  await expect(page.getByTestId('docs-blocked')).toContainText(/заблок/i);
  await page.getByTestId('doc-row').first().click();
  await expect(page.getByTestId('detail-sign')).toBeDisabled();
  await expect(page.getByTestId('sign-disabled-reason')).toContainText(/заблок|оплат/i);
  await shot(page, '13-blocked-documents');
  await page.getByTestId('nav-billing').click();
  await expect(page.getByTestId('billing-blocked')).toBeVisible();
  await shot(page, '14-blocked-billing');
});

test('a viewer sees no acts', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: /Выйти/ }).click();
  await page.getByTestId('tab-password').click();
  const r = await fetch(`${host.control.url}/state`, { headers: { authorization: `Bearer ${host.control.token}` } });
  expect(r.ok).toBe(true);
  // The demo's viewer is the fourth printed user; its ИИН is generated, so read it from the cloud's storage.
  await host.cloud('stop');
  const { openDatabase } = await import('../cloud/src/db/connect');
  const db = await openDatabase({ dataDir: path.join(dataDir, 'demo', 'cloud') });
  const viewer = await db.db.selectFrom('users').select(['iin']).where('role', '=', VIEWER_ROLE).executeTakeFirstOrThrow().finally(() => db.close());
  await host.cloud('start');
  await page.locator('#iin').fill(viewer.iin);
  await page.locator('#pw').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-password-submit').click();
  await expect(page.getByTestId('screen-home')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('nav-documents')).toHaveCount(0);
  await homeReady(page);
  await expect(page.getByTestId('home-awaiting')).toHaveCount(0);
  await shot(page, '15-viewer-home');
  await axe(page, 'viewer home');
});
