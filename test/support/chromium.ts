/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (never `playwright install`: no browser is downloaded). Without Chromium the tests are skipped
 * locally and fail in CI (CI=1), so they cannot pass silently there.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** The Chromium executable, if this machine has one. */
export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));

/** Whether browser tests run here: Chromium exists, or CI demands them (and then fails without it). */
export const browserTestsRun = CHROMIUM !== undefined || process.env.CI !== undefined;

/** Flags for a sandbox-less, offline machine (its network is closed: no background connections). */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error("Chromium is required (apt-get install chromium)");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** What a page printed to its console as errors, and its uncaught exceptions, collected from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
