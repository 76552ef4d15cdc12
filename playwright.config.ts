// The office end to end: Debian's Chromium (npx playwright install cannot download browsers here) against the
// headless host, which each spec starts itself on an ephemeral port (e2e/host.ts) with the real core, the demo
// cloud and the NCALayer emulator. Screenshots of every main screen go to e2e/artifacts/ (CI keeps the folder).
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.KENSE_CHROMIUM ?? '/usr/bin/chromium';
/** Headless Debian Chromium as the suite and bench/office.bench.ts run it. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  outputDir: 'e2e/.results',
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'Asia/Almaty',
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
