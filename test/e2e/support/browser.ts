import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = join(__dirname, '..', '..', '..');
/** Where the browser journeys leave their screenshots (CI keeps the folder as the run's artifacts). */
export const ARTIFACTS = join(root, 'test-artifacts', 'console');

/** Debian's chromium (`.ci/run` installs it when missing), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh page (own storage: its own session) that collects uncaught page errors and the origin of every request
 * it makes (the console may reach governance and the gateway, nothing else: no CDN, no web fonts).
 */
export async function newPage(browser: Browser): Promise<{ page: Page; pageErrors: string[]; origins: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const origins = new Set<string>();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:') {
      origins.add(url.origin);
    }
  });
  return { page, pageErrors, origins };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Signs in through the console's dev role picker and waits for the signed-in frame; `here` signs in on the sign-in
 * page the browser is on (a deep link's redirect), else it opens the sign-in page first.
 */
export async function signIn(page: Page, consoleUrl: string, role: string, sub: string, { here = false } = {}): Promise<void> {
  if (!here) {
    await page.goto(`${consoleUrl}/sign-in`);
  }
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('User id (optional)').fill(sub);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
