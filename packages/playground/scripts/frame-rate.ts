/**
 * The playground's frame rate while a model trains, measured the way the README reports it: the
 * built page served by `deriva playground` (cross-origin isolated, so deriva has its threads), in
 * Debian's Chromium, the network chapter on the spiral (7 input features, layers 8, 8, 4). It
 * counts `requestAnimationFrame` callbacks over a few seconds, first idle, then training, and
 * prints frames per second, the longest frame and the steps per second the header shows.
 *
 *   npm run build && npm run frame-rate -w @deriva/playground [-- --seconds 5]
 *
 * Run it on a quiet machine: the worker and the page share the cores with whatever else runs.
 */
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { launchChromium } from "../../../test/support/chromium.js";
import { servePlayground } from "./serve.js";

const SPIRAL = "#/network?ds=spiral&feat=x,y,x2,y2,xy,sinx,siny&hidden=8,8,4&act=tanh&lr=0.03&batch=10";

interface Frames {
  perSecond: number;
  longestMs: number;
}

/**
 * Counts animation frames for `seconds` in the page. The counter is page code given as text:
 * tsx would wrap a named function written here in a helper that the page does not have.
 */
function countFrames(page: Page, seconds: number): Promise<Frames> {
  return page.evaluate(`new Promise((done) => {
    const times = [];
    const tick = (now) => {
      times.push(now);
      if (now - times[0] < ${seconds * 1000}) return requestAnimationFrame(tick);
      let longestMs = 0;
      for (let i = 1; i < times.length; i++) longestMs = Math.max(longestMs, times[i] - times[i - 1]);
      done({ perSecond: ((times.length - 1) * 1000) / (times.at(-1) - times[0]), longestMs });
    };
    requestAnimationFrame(tick);
  })`);
}

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" } } });
const seconds = Number(values.seconds);
const { origin, stop } = await servePlayground();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${origin}/${SPIRAL}`);
  await page.waitForSelector('[data-name="losses"]:not(:empty)', { timeout: 60_000 });
  const idle = await countFrames(page, seconds);
  await page.click('[data-name="play"]');
  await page.waitForTimeout(1000); // past the first calls, which compile the step
  const stepBefore = Number(await page.getAttribute('[data-name="losses"]', "data-step"));
  const training = await countFrames(page, seconds);
  const stepAfter = Number(await page.getAttribute('[data-name="losses"]', "data-step"));
  const show = (f: Frames) =>
    `${f.perSecond.toFixed(1)} frames/s, longest frame ${f.longestMs.toFixed(0)} ms`;
  console.log(`idle:     ${show(idle)}`);
  console.log(`training: ${show(training)}, ${Math.round((stepAfter - stepBefore) / seconds)} steps/s`);
} finally {
  await browser.close();
  stop();
}
