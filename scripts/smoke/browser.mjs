// Debian's Chromium, driven by playwright-core; never a downloaded browser.
import { chromium } from 'playwright-core';

/** Headless Chromium with the flags this machine needs (no network beyond loopback). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Keep Chromium from phoning home: its background connections are refused here.
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
