/**
 * The README's screenshots: a few of those the browser test writes (test/screenshots/), the top of
 * each page scaled down to 600 px wide (by Chromium itself: no image tools needed) into docs/.
 * Run the browser test first, then `npm run screenshots -w @deriva/playground`. cats-full.png is
 * not the test's (its model trains one short epoch): it is the cats chapter after Train with the
 * defaults (the convnet, 15 epochs of 1,600 photos), saved as test/screenshots/cats-full.png by `npm run screenshot:cats` (scripts/cats-full.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../../../test/support/chromium.js";

const ROOT = join(import.meta.dirname, "..");
/** Screenshot, width in the README, most CSS pixels of height kept from the top. */
const SHOTS: [string, number, number][] = [
  ["parabola", 600, 1000],
  ["two-variables", 600, 1200],
  ["sigmoid", 600, 1400],
  ["network-xor", 600, 1450],
  ["digits-trained", 600, 1100],
  ["cats-full", 600, 1350],
];

const browser = await launchChromium();
const page = await browser.newPage();
for (const [name, width, keep] of SHOTS) {
  const source = `data:image/png;base64,${readFileSync(join(ROOT, "test/screenshots", `${name}.png`)).toString("base64")}`;
  const png = await page.evaluate(
    async ({ source, width, keep }) => {
      const image = new Image();
      image.src = source;
      await image.decode();
      const height = Math.min(image.height, keep);
      const scale = width / image.width;
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = Math.round(height * scale);
      const c = canvas.getContext("2d")!;
      c.imageSmoothingQuality = "high";
      c.drawImage(image, 0, 0, image.width, height, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/png");
    },
    { source, width, keep },
  );
  const bytes = Buffer.from(png.slice(png.indexOf(",") + 1), "base64");
  writeFileSync(join(ROOT, "docs", `${name}.png`), bytes);
  console.log(`docs/${name}.png: ${(bytes.length / 1024).toFixed(0)} KB`);
}
await browser.close();
