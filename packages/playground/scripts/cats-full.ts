/**
 * The README's cats-vs-dogs picture: the cats chapter after Train with its defaults (the convnet,
 * 15 epochs of the 1,600 photos), in Chromium on the built page served by `deriva playground`,
 * saved as test/screenshots/cats-full.png (then `npm run screenshots` scales it into docs/).
 * Prints the time it took and the accuracy the page shows. `npm run screenshot:cats`.
 */
import { join } from "node:path";
import { launchChromium } from "../../../test/support/chromium.js";
import { servePlayground } from "./serve.js";

const { origin, stop } = await servePlayground();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`page error: ${message.text()}`);
  });
  await page.goto(`${origin}/#/cats`);
  await page.waitForSelector('[data-name="train"]');
  const start = Date.now();
  await page.click('[data-name="train"]');
  await page.waitForSelector('[data-name="train-status"][data-accuracy]', { timeout: 900_000 });
  const seconds = (Date.now() - start) / 1000;
  console.log(`trained in ${seconds.toFixed(1)} s: ${await page.textContent('[data-name="train-status"]')}`);
  await page.screenshot({
    path: join(import.meta.dirname, "../test/screenshots/cats-full.png"),
    fullPage: true,
  });
} finally {
  await browser.close();
  stop();
}
