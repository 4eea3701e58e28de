/**
 * The playground's shell: the header (chapters, language, backend switch with live steps per
 * second), the chapter shown by the URL hash (loaded on first visit), the footer.
 */
import "./styles.css";
import { CHAPTERS, type ChapterEntry } from "./chapters/index";
import { getEngine, onSpeed } from "./engine";
import { currentLang, formatNumber, type Lang, setLang, tr } from "./i18n";
import { ChapterState, chapterLink, currentRoute } from "./route";
import { h, select } from "./ui/dom";
import type { BackendChoice, BackendInfo } from "./worker/protocol";

const header = document.getElementById("top")!;
const main = document.getElementById("chapter")!;
const footer = document.getElementById("foot")!;

let backendInfo: BackendInfo | null = null;
let speed = 0;
let leaving: (() => void)[] = [];
let shown = 0;

function chapterOf(id: string): ChapterEntry {
  return CHAPTERS.find((c) => c.id === id) ?? CHAPTERS[0]!;
}

const title = (entry: ChapterEntry) => tr(...entry.title);

function backendText(info: BackendInfo | null): string {
  if (info === null) return tr("starting deriva…", "iniciando deriva…");
  const threads =
    info.threads === 1 ? tr("1 thread", "1 hilo") : tr(`${info.threads} threads`, `${info.threads} hilos`);
  return info.backend === "wasm"
    ? `wasm (${info.simd}) · ${threads}`
    : tr("js (plain TypeScript)", "js (TypeScript puro)");
}

function renderHeader(): void {
  const current = chapterOf(currentRoute().chapter).id;
  const nav = h("nav", { "aria-label": tr("Chapters", "Capítulos") });
  const list = h("ol");
  for (const entry of CHAPTERS) {
    const link = h("a", {
      href: chapterLink(entry.id),
      text: title(entry),
      "aria-current": entry.id === current ? "page" : undefined,
    });
    list.append(h("li", {}, link));
  }
  nav.append(list);
  const langs = h("div", { class: "lang", role: "group", "aria-label": tr("Language", "Idioma") });
  for (const [lang, text, label] of [
    ["en", "EN", "English"],
    ["es", "ES", "Español"],
  ] as [Lang, string, string][]) {
    const b = h("button", {
      type: "button",
      text,
      "aria-pressed": String(currentLang() === lang),
      "aria-label": label,
      "data-lang": lang,
    });
    b.addEventListener("click", () => {
      if (currentLang() === lang) return;
      setLang(lang);
      renderAll();
    });
    langs.append(b);
  }
  const choices: { value: BackendChoice; text: string }[] = [
    { value: "js", text: "js" },
    { value: "wasm", text: tr("wasm, 1 thread", "wasm, 1 hilo") },
    { value: "wasm-threads", text: tr("wasm with threads", "wasm con hilos") },
  ];
  const backendSelect = select({
    label: tr("Backend", "Backend"),
    options: choices,
    value: (backendInfo === null
      ? "wasm"
      : backendInfo.backend === "js"
        ? "js"
        : backendInfo.threads > 1
          ? "wasm-threads"
          : "wasm") as BackendChoice,
    name: "backend",
    onChange: async (choice) => {
      backendInfo = await getEngine().call("backend", { choice });
      renderStatus();
    },
  });
  for (const option of backendSelect.input.options) {
    option.disabled = backendInfo !== null && !backendInfo.available.includes(option.value as BackendChoice);
  }
  const status = h("span", { class: "status", id: "backend-status", "aria-live": "polite" });
  const speedText = h("span", { class: "speed", id: "speed" });
  header.replaceChildren(
    h(
      "div",
      { class: "bar" },
      h(
        "a",
        { class: "brand", href: chapterLink(CHAPTERS[0]!.id) },
        h("strong", { text: "deriva" }),
        " playground",
      ),
      h("div", { class: "engine" }, backendSelect.element, status, speedText),
      langs,
    ),
    nav,
  );
  renderStatus();
}

function renderStatus(): void {
  const status = document.getElementById("backend-status");
  if (status) status.textContent = backendText(backendInfo);
  const speedText = document.getElementById("speed");
  if (speedText)
    speedText.textContent =
      speed > 0 ? tr(`${formatNumber(speed, 0)} steps/s`, `${formatNumber(speed, 0)} pasos/s`) : "";
}

function renderFooter(): void {
  const isolated = globalThis.crossOriginIsolated === true;
  footer.replaceChildren(
    h(
      "p",
      {},
      tr(
        "Every number on this page is computed by deriva, in a Web Worker of this page. ",
        "Cada número de esta página lo calcula deriva, en un Web Worker de esta página. ",
      ),
      isolated
        ? tr(
            "The page is cross-origin isolated, so the wasm backend can use threads.",
            "La página está aislada (cross-origin isolated): el backend wasm puede usar hilos.",
          )
        : tr(
            "The page is not cross-origin isolated (its server sends no COOP/COEP headers), so deriva runs on one thread.",
            "La página no está aislada (su servidor no envía las cabeceras COOP/COEP): deriva usa un solo hilo.",
          ),
    ),
  );
}

async function showChapter(): Promise<void> {
  const ticket = ++shown;
  speed = 0;
  renderStatus();
  for (const cleanup of leaving) cleanup();
  leaving = [];
  const route = currentRoute();
  const entry = chapterOf(route.chapter);
  document.title = `${title(entry)} · deriva playground`;
  main.replaceChildren(h("p", { class: "loading", text: tr("Loading…", "Cargando…") }));
  const module = await entry.load();
  if (ticket !== shown) return;
  const root = h("article", { class: "chapter", "data-chapter": entry.id });
  main.replaceChildren(root);
  module.mount({
    root,
    state: new ChapterState(entry.id),
    onLeave: (cleanup) => leaving.push(cleanup),
    alive: () => ticket === shown,
  });
}

function renderAll(): void {
  document.documentElement.lang = currentLang();
  renderHeader();
  renderFooter();
  void showChapter();
}

window.addEventListener("hashchange", () => {
  renderHeader();
  void showChapter().then(() => main.focus({ preventScroll: true }));
});

let lastSpeedPaint = 0;
onSpeed((stepsPerSecond) => {
  speed = stepsPerSecond;
  const now = performance.now();
  if (now - lastSpeedPaint > 250) {
    lastSpeedPaint = now;
    renderStatus();
  }
});

renderAll();
getEngine()
  .call("backend", { choice: null })
  .then((info) => {
    backendInfo = info;
    renderHeader();
  })
  .catch((error: unknown) => {
    const status = document.getElementById("backend-status");
    if (status) status.textContent = String(error);
  });
