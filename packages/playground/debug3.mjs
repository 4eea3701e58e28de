import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
const server = spawn(process.execPath, ["packages/cli/dist/main.js", "playground", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const origin = await new Promise((done) => server.stdout.on("data", (c) => { const m = /http:\/\/127\.0\.0\.1:\d+/.exec(String(c)); if (m) done(m[0]); }));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
page.on("console", (m) => console.log("console", m.type(), m.text()));
await page.goto(`${origin}/#/digits?model=mlp&epochs=2&images=4000`);
await page.waitForFunction(() => /thread/.test(document.getElementById("backend-status")?.textContent ?? ""));
for (const choice of process.argv.slice(2)) {
  await page.selectOption('select[data-name="backend"]', choice);
  await page.waitForTimeout(500);
  await page.click('[data-name="train"]');
  await page.waitForSelector('[data-name="train-status"][data-accuracy]', { timeout: 120000 });
  const rows = await page.$$eval('[data-name="epochs"] tbody tr', (r) => r.map((x) => x.textContent));
  console.log(choice, await page.textContent("#backend-status"), await page.textContent("#speed"), rows);
  await page.$eval('[data-name="train-status"]', (e) => e.removeAttribute("data-accuracy"));
}
await browser.close(); server.kill();
