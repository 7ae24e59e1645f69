// How every test here launches a browser (the widget's @web/test-runner tests and the
// server's end-to-end tests): Debian's Chromium, headless, nothing downloaded.
import process from 'node:process';

export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    // Root in CI has no sandbox to enter.
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
