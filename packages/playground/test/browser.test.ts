/**
 * The playground in Debian's Chromium (playwright-core), served by the built `deriva playground`
 * on 127.0.0.1, as a reader uses it: every chapter loads without a console error (and leaves a
 * screenshot in test/screenshots/), the parabola's numbers and its divergence, a network that
 * learns xor, digits trained in the worker and a drawn stroke read, the cats chapter's convnet
 * (batch norm, dropout) trained and a photo dropped on it, the model downloaded, read by `deriva
 * eval` and loaded back, threads in a cross-origin-isolated page, Spanish, and the size of the
 * first load.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, collectErrors, launchChromium } from "../../../test/support/chromium.js";
import { CLI, ensureBuilt } from "../../cli/test/e2e/cli.js";
import { servePlayground } from "../scripts/serve.js";
import { CHAPTERS } from "../src/chapters/index.js";

const SHOTS = resolve(import.meta.dirname, "screenshots");
const DESKTOP = { width: 1100, height: 900 };

describe.runIf(browserTestsRun)("the playground in headless Chromium", () => {
  let stopServer: (() => void) | undefined;
  let browser: Browser | undefined;
  let origin = "";
  const downloads = mkdtempSync(join(tmpdir(), "deriva-playground-"));

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    const served = await servePlayground();
    [origin, stopServer] = [served.origin, served.stop];
    browser = await launchChromium();
  }, 600_000); // ensureBuilt may rebuild the three packages

  afterAll(async () => {
    await browser?.close();
    stopServer?.();
    rmSync(downloads, { recursive: true, force: true });
  });

  async function open(path: string, viewport = DESKTOP): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.newPage({ viewport, acceptDownloads: true });
    const errors = collectErrors(page);
    await page.goto(`${origin}/${path}`);
    return { page, errors };
  }

  /** Sets a range input as a reader dragging it would. */
  async function setRange(page: Page, name: string, value: number): Promise<void> {
    await page.$eval(
      `input[data-name="${name}"]`,
      (input, v) => {
        (input as HTMLInputElement).value = String(v);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      },
      value,
    );
  }

  it("loads every chapter without a console error, and screenshots it", async () => {
    /** What shows that a chapter has computed its first view. */
    const ready: Record<string, string> = {
      cost: '[data-name="mse"]:not(:empty)',
      parabola: '[data-name="x-0"]',
      routes: '[data-name="derivative"]',
      "two-variables": '[data-name="iterations-lbfgs"]',
      rate: '[data-name="suggestion"]:not(:empty)',
      sigmoid: '[data-name="second"]:not(:empty)',
      neuron: '[data-name="readout"]:not(:empty)',
      network: '[data-name="losses"]:not(:empty)',
      digits: '[data-name="train"]',
      cats: '[data-name="train"]',
    };
    // one page, moving from chapter to chapter as a reader does (by the links' hashes)
    const { page: reader, errors: readerErrors } = await open(`#/${CHAPTERS[0]!.id}`);
    for (const chapter of CHAPTERS) {
      await reader.evaluate((id) => {
        location.hash = `#/${id}`;
      }, chapter.id);
      await reader.waitForSelector(`[data-chapter="${chapter.id}"] ${ready[chapter.id]!}`, {
        timeout: 60_000,
      });
      await reader.waitForTimeout(chapter.id === "two-variables" ? 5500 : 300); // the race, run to its end
      await reader.screenshot({ path: join(SHOTS, `${chapter.id}.png`), fullPage: true });
      // every control has a name a screen reader can say (a label, its text, or aria-label)
      const unnamed = await reader.$$eval("input, select, button, textarea", (controls) =>
        controls
          .filter((c) => {
            const labels = (c as HTMLInputElement).labels;
            return !((labels && labels.length > 0) || c.getAttribute("aria-label") || c.textContent?.trim());
          })
          .map((c) => c.outerHTML.slice(0, 80)),
      );
      expect(unnamed, chapter.id).toEqual([]);
      expect(readerErrors, chapter.id).toEqual([]);
    }
    await reader.close();
    const { page, errors } = await open("#/network", { width: 390, height: 844 });
    await page.waitForSelector(ready.network!, { timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, "network-phone.png"), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // nothing wider than a phone
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it("walks the parabola as the document does and says when a rate diverges", async () => {
    const { page, errors } = await open("#/parabola");
    await page.waitForSelector('[data-name="x-0"]');
    for (let i = 0; i < 3; i++) await page.click('[data-name="step"]');
    const xs = await Promise.all([1, 2, 3].map((n) => page.textContent(`[data-name="x-${n}"]`)));
    expect(xs).toEqual(["6.80", "5.84", "5.07"]);
    expect(page.url()).toContain("n=3");
    await setRange(page, "rate", 1.1);
    await page.waitForFunction(() => !document.querySelector('[data-name="x-1"]'));
    for (let i = 0; i < 3; i++) await page.click('[data-name="step"]');
    await expect.poll(() => page.textContent('[data-name="outcome"]')).toMatch(/ν = 1.10 .*diverges/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("trains a network whose test loss on xor falls below 0.25 within 4,000 steps", async () => {
    const { page, errors } = await open(
      "#/network?ds=xor&feat=x,y&hidden=8,4&act=tanh&lr=0.03&batch=10&seed=2&noise=0&ratio=50",
    );
    await page.waitForSelector('[data-name="losses"]:not(:empty)');
    const start = Number(await page.getAttribute('[data-name="losses"]', "data-test-loss"));
    await page.click('[data-name="play"]');
    await page.waitForFunction(
      () => {
        const losses = document.querySelector<HTMLElement>('[data-name="losses"]')!;
        return Number(losses.dataset.testLoss) < 0.25 || Number(losses.dataset.step) >= 4000;
      },
      null,
      { timeout: 60_000 },
    );
    await page.click('[data-name="play"]');
    await page.screenshot({ path: join(SHOTS, "network-xor.png"), fullPage: true });
    const [step, loss] = await page.$eval('[data-name="losses"]', (e) => [
      Number((e as HTMLElement).dataset.step),
      Number((e as HTMLElement).dataset.testLoss),
    ]);
    expect(start).toBeGreaterThan(0.5);
    expect(loss).toBeLessThan(0.25);
    expect(step).toBeLessThan(4000 + 2000); // the check runs after a call of at most ~30 ms of steps
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("is cross-origin isolated, and the worker trains digits on more than one thread (as on one), then reads a drawn 1", async () => {
    const { page, errors } = await open("#/digits?model=mlp&epochs=1&images=4000");
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForFunction(() =>
      /thread/.test(document.getElementById("backend-status")?.textContent ?? ""),
    );
    await page.selectOption('select[data-name="backend"]', "wasm-threads");
    await expect
      .poll(() => page.textContent("#backend-status"))
      .toMatch(/wasm \(\w+\) · ([2-9]|\d\d+) threads/);
    await page.click('[data-name="train"]');
    await page.waitForSelector('[data-name="train-status"][data-accuracy]', { timeout: 90_000 });
    const accuracy = Number(await page.getAttribute('[data-name="train-status"]', "data-accuracy"));
    expect(accuracy).toBeGreaterThan(0.8); // one epoch of 4,000 digits, tested on the 2,000 held-out digits
    const epochRow = () =>
      page.$$eval('[data-name="epochs"] tbody tr td', (cells) => cells.slice(0, 3).map((c) => c.textContent));
    const threaded = await epochRow();
    expect(threaded).toHaveLength(3);
    // a vertical stroke down the middle of the pad, drawn with the mouse
    const pad = (await page.$("canvas.pad"))!;
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.18);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(box.x + box.width * (0.52 - 0.003 * i), box.y + box.height * (0.18 + 0.064 * i));
    await page.mouse.up();
    await page.waitForSelector('[data-name="digit"][data-predicted]');
    await expect.poll(() => page.getAttribute('[data-name="digit"]', "data-predicted")).toBe("1");
    const sum = await page.$$eval('[data-name="probabilities"] .bar-fill', (bars) =>
      bars.reduce((s, b) => s + Number.parseFloat((b as HTMLElement).style.width), 0),
    );
    expect(sum).toBeCloseTo(100, 0);
    await page.screenshot({ path: join(SHOTS, "digits-trained.png"), fullPage: true });
    // the same epoch on one thread: the threads split the work, not the result
    await page.selectOption('select[data-name="backend"]', "wasm");
    await expect.poll(() => page.textContent("#backend-status")).toMatch(/1 thread$/);
    await page.$eval('[data-name="train-status"]', (status) => status.removeAttribute("data-accuracy"));
    await page.click('[data-name="train"]');
    await page.waitForSelector('[data-name="train-status"][data-accuracy]', { timeout: 90_000 });
    expect(await epochRow()).toEqual(threaded);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("classifies a dropped photo, and a model downloaded and loaded back predicts the same", async () => {
    const { page, errors } = await open("#/cats?model=convnet&epochs=1&images=400");
    await page.click('[data-name="train"]');
    await page.waitForSelector('[data-name="train-status"][data-accuracy]', { timeout: 90_000 });
    expect(await page.$$eval('[data-name="mistakes"] canvas', (c) => c.length)).toBeGreaterThan(0);
    const confusion = await page.$$eval('[data-name="confusion"] tbody td', (cells) =>
      cells.map((c) => Number(c.textContent)),
    );
    expect(confusion.reduce((a, b) => a + b, 0)).toBe(400);

    /** Drops a made-up photo (a 200×150 PNG drawn in the page) on the drop zone; resolves with the class and probabilities shown. */
    const dropPhoto = async (target: Page) => {
      await target.evaluate(async () => {
        const canvas = document.createElement("canvas");
        [canvas.width, canvas.height] = [200, 150];
        const c = canvas.getContext("2d")!;
        c.fillStyle = "#6b8e23";
        c.fillRect(0, 0, 200, 150);
        c.fillStyle = "#c68642";
        c.beginPath();
        c.ellipse(100, 80, 50, 40, 0, 0, 2 * Math.PI);
        c.fill();
        const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b!), "image/png"));
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], "pet.png", { type: "image/png" }));
        document
          .querySelector('[data-name="drop"]')!
          .dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await target.waitForSelector('[data-name="photo-result"][data-predicted]');
      return {
        predicted: await target.getAttribute('[data-name="photo-result"]', "data-predicted"),
        shown: await target.$eval(
          '[data-name="photo-result"] [data-name="probabilities"]',
          (e) => e.textContent,
        ),
      };
    };
    const before = await dropPhoto(page);
    expect(["cats", "dogs"]).toContain(before.predicted);
    await page.screenshot({ path: join(SHOTS, "cats-trained.png"), fullPage: true });

    const saved: string[] = [];
    page.on("download", async (download) => {
      const path = join(downloads, download.suggestedFilename());
      await download.saveAs(path);
      saved.push(path);
    });
    await page.click('[data-name="download"]');
    await expect.poll(() => saved.length, { timeout: 20_000 }).toBe(2);
    // the folder is the CLI's: deriva eval reads it
    const evaluation = spawnSync(
      process.execPath,
      [CLI, "eval", "--model", downloads, "--data", "cats-vs-dogs"],
      { encoding: "utf8" },
    );
    expect(evaluation.stderr).toBe("");
    expect(evaluation.stdout).toMatch(/accuracy/);

    const { page: fresh, errors: freshErrors } = await open("#/cats");
    await fresh.setInputFiles('[data-name="model-input"]', saved);
    await fresh.waitForSelector('[data-name="model-status"][data-accuracy]');
    expect(await fresh.getAttribute('[data-name="model-status"]', "data-accuracy")).toBe(
      await page.getAttribute('[data-name="train-status"]', "data-accuracy"),
    );
    expect(await dropPhoto(fresh)).toEqual(before);
    expect(errors).toEqual([]);
    expect(freshErrors).toEqual([]);
    await page.close();
    await fresh.close();
  }, 180_000);

  it("switches to Spanish and back, keeping the language in the URL", async () => {
    const { page, errors } = await open("#/parabola");
    await page.waitForSelector('[data-name="x-0"]');
    expect(await page.textContent("h1")).toBe("2. The parabola");
    await page.click('button[data-lang="es"]');
    await expect.poll(() => page.textContent("h1")).toBe("2. La parábola");
    expect(page.url()).toContain("lang=es");
    expect(page.url()).toContain("#/parabola");
    await page.reload();
    await expect.poll(() => page.textContent("h1")).toBe("2. La parábola");
    await page.click('button[data-lang="en"]');
    await expect.poll(() => page.textContent("h1")).toBe("2. The parabola");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("still works, on one thread, served without the COOP/COEP headers", async () => {
    // a plain static server: the same files, no isolation headers
    const dist = resolve(import.meta.dirname, "../dist");
    const plain = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      const file = join(dist, path === "/" ? "index.html" : path);
      if (!file.startsWith(dist) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      const type = {
        ".html": "text/html",
        ".js": "text/javascript",
        ".css": "text/css",
        ".wasm": "application/wasm",
      }[extname(file)];
      response.writeHead(200, type ? { "content-type": type } : {}).end(readFileSync(file));
    });
    await new Promise<void>((done) => plain.listen(0, "127.0.0.1", done));
    const page = await browser!.newPage();
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${(plain.address() as { port: number }).port}/#/parabola`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect.poll(() => page.textContent("#backend-status")).toMatch(/^wasm \(\w+\) · 1 thread$/);
    expect(await page.$eval('option[value="wasm-threads"]', (o) => (o as HTMLOptionElement).disabled)).toBe(
      true,
    );
    await page.waitForSelector('[data-name="x-0"]');
    await page.click('[data-name="step"]');
    expect(await page.textContent('[data-name="x-1"]')).toBe("6.80");
    expect(await page.textContent("footer")).toMatch(/not cross-origin isolated/);
    expect(errors).toEqual([]);
    await page.close();
    plain.close();
  });

  it("loads at most 150 KB of gzipped JavaScript first, and fetches the kernels as a .wasm asset", async () => {
    const page = await browser!.newPage();
    const sizes = new Map<string, number>();
    page.on("response", async (response) => {
      const url = response.url();
      if (/\.(js|wasm)$/.test(new URL(url).pathname))
        sizes.set(url, Number((await response.allHeaders())["content-length"]));
    });
    await page.goto(`${origin}/#/cost`);
    await page.waitForSelector('[data-name="mse"]:not(:empty)');
    await page.waitForTimeout(500);
    const js = [...sizes].filter(([url]) => url.endsWith(".js"));
    const wasm = [...sizes].filter(([url]) => url.endsWith(".wasm"));
    const total = js.reduce((sum, [, bytes]) => sum + bytes, 0);
    expect(total).toBeLessThanOrEqual(150 * 1024);
    expect(wasm).toHaveLength(1);
    expect(js.some(([url]) => /\/cost-[\w-]+\.js$/.test(url))).toBe(true); // the chapter came as its own chunk
    expect(js.some(([url]) => /\/digits-[\w-]+\.js$/.test(url))).toBe(false); // and the others did not
    await page.close();
  });
});
