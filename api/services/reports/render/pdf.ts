import { existsSync } from 'node:fs';

/** Chromium was not found or failed to start: what to install or configure. */
export class BrowserMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserMissingError';
  }
}

/**
 * Prints the report's HTML to PDF with headless Chromium, driven by playwright-core (no browser
 * download: the system's Chromium, Debian's `chromium` package, or REACHLOG_CHROMIUM_PATH).
 */
export async function renderPdf(html: string, executablePath: string): Promise<Buffer> {
  if (!existsSync(executablePath)) {
    throw new BrowserMissingError(
      `PDF needs Chromium, and there is none at ${executablePath}: install it (Debian: apt-get install chromium) ` +
        'or set REACHLOG_CHROMIUM_PATH to its executable',
    );
  }
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  } catch (e) {
    throw new BrowserMissingError(
      `Chromium at ${executablePath} did not start: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  try {
    const page = await browser.newPage();
    // The page is self-contained: nothing to load, so nothing may be fetched while printing.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
