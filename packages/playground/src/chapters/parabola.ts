/**
 * Chapter 2, the parabola: y = x² − 4x + 6 from x = 8 at the rate ν = 0.1, step by step as the
 * founding document writes it (6.80, 5.84, 5.07, 4.46, … → 2), with the tangent at each point, a
 * rate slider where too large a rate diverges, and "auto", the line search.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, Frame, onResize, surface } from "../ui/canvas";
import { latestOnly } from "../ui/coalesce";
import { button, checkbox, controls, field, h, reducedMotion, slider } from "../ui/dom";
import type { Methods, ParabolaStep } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

type Run = Methods["parabola"]["result"];

const f = (x: number) => x * x - 4 * x + 6;
const STEP_MS = 450;

export function mount({ root, state, onLeave, alive }: ChapterContext): void {
  let lr = state.number("lr", 0.1);
  let auto = state.flag("auto", false);
  let x0 = state.number("x0", 8);
  let shown = Math.max(0, Math.round(state.number("n", 0)));
  let run: Run | null = null;
  let playing = false;
  let timer = 0;
  let tween = { from: x0, to: x0, start: 0 };

  const s = surface(
    tr("The parabola, the current point and its tangent", "La parábola, el punto actual y su tangente"),
    0.62,
    640,
  );
  const frame = new Frame(s, -6, 10, -5, 60);
  const table = h("tbody");
  const formula = h("p", { class: "formula", "data-name": "formula" });
  const message = h("div", { class: "message", "data-name": "outcome", role: "status" });
  const counter = h("span", { "data-name": "counter" });
  const stepsTable = h(
    "table",
    { "data-name": "steps" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { text: tr("iteration", "iteración") }),
        h("th", { text: "x" }),
        h("th", { text: "f(x)" }),
        h("th", { text: "f′(x)" }),
      ),
    ),
    table,
  );
  const scroller = h("div", { class: "scroll" }, stepsTable);

  const stepAt = (n: number): ParabolaStep | null =>
    n === 0 || run === null ? null : (run.steps[n - 1] ?? null);
  const xAt = (n: number) => stepAt(n)?.x ?? x0;

  const fetchRun = latestOnly(
    (args: { lr: number | "auto"; x0: number }) => getEngine().call("parabola", args),
    (result) => {
      run = result;
      shown = Math.min(shown, result.steps.length);
      render();
    },
  );

  function save(): void {
    state.set({ lr, auto, x0, n: shown });
  }

  function render(): void {
    save();
    counter.textContent = tr(
      `step ${shown} of ${run?.steps.length ?? "…"}`,
      `paso ${shown} de ${run?.steps.length ?? "…"}`,
    );
    table.replaceChildren(
      ...[0, ...Array.from({ length: shown }, (_, i) => i + 1)].map((n) => {
        const step = stepAt(n);
        const x = step?.x ?? x0;
        const row = h(
          "tr",
          { class: n === shown ? "current" : undefined, "data-step": n },
          h("td", { text: String(n) }),
          h("td", { text: formatNumber(x, 2), "data-name": `x-${n}` }),
          h("td", { text: formatNumber(step?.value ?? f(x), 2) }),
          h("td", { text: formatNumber(step?.slope ?? 2 * x - 4, 2) }),
        );
        return row;
      }),
    );
    scroller.scrollTop = scroller.scrollHeight; // the newest step in view (inside the table's box only)
    const last = stepAt(shown);
    if (last !== null) {
      const before = xAt(shown - 1);
      const nu = formatNumber(last.lr, last.lr < 0.01 ? 4 : 2);
      formula.textContent = `x_new = ${formatNumber(before, 2)} − ${nu} · (2 · ${formatNumber(before, 2)} − 4) = ${formatNumber(last.x, 2)}`;
    } else formula.textContent = `x₀ = ${formatNumber(x0, 2)}`;
    renderOutcome();
    draw();
  }

  function renderOutcome(): void {
    if (run === null) return;
    const atEnd = shown === run.steps.length;
    message.className = "message";
    if (run.diverged && shown >= Math.min(3, run.steps.length)) {
      message.className = "message bad";
      message.textContent = tr(
        `At ν = ${formatNumber(lr, 2)} the steps overshoot and grow: gradient descent diverges. (deriva: ${run.reason})`,
        `Con ν = ${formatNumber(lr, 2)} los pasos se pasan de largo y crecen: el descenso de gradiente diverge. (deriva: ${run.reason})`,
      );
    } else if (atEnd && run.converged) {
      message.className = "message good";
      message.textContent = tr(
        `Converged to x = ${formatNumber(xAt(shown), 2)} after ${run.steps.length} steps: the minimum. (deriva: ${run.reason})`,
        `Converge a x = ${formatNumber(xAt(shown), 2)} tras ${run.steps.length} pasos: el mínimo. (deriva: ${run.reason})`,
      );
    } else if (atEnd) {
      message.className = "message bad";
      message.textContent = tr(`Stopped: ${run.reason}`, `Se detuvo: ${run.reason}`);
    } else message.textContent = "";
  }

  function draw(): void {
    s.fit();
    frame.axes("x", "y");
    const xs = Array.from({ length: 161 }, (_, i) => -6 + i * 0.1);
    frame.polyline(xs, xs.map(f), colors.ink, 2);
    // the path so far
    const path = [x0, ...Array.from({ length: shown }, (_, i) => xAt(i + 1))];
    frame.polyline(path, path.map(f), "rgba(217, 72, 15, 0.5)", 1.5);
    for (const x of path) frame.dot(x, f(x), "rgba(217, 72, 15, 0.5)", 3);
    const progress = reducedMotion() ? 1 : Math.min(1, (performance.now() - tween.start) / 300);
    const x = tween.from + (tween.to - tween.from) * progress;
    const slope = 2 * x - 4;
    frame.polyline([x - 3, x + 3], [f(x) - 3 * slope, f(x) + 3 * slope], colors.blue, 1.5);
    frame.dot(x, f(x), colors.accent, 7);
    if (progress < 1 && alive()) requestAnimationFrame(draw);
  }

  function goTo(n: number): void {
    const from = xAt(shown);
    shown = Math.max(0, Math.min(n, run?.steps.length ?? 0));
    tween = { from, to: xAt(shown), start: performance.now() };
    render();
  }

  function setPlaying(on: boolean): void {
    playing = on;
    playButton.textContent = on ? tr("Pause", "Pausa") : tr("Play", "Reproducir");
    playButton.setAttribute("aria-pressed", String(on));
    clearInterval(timer);
    if (on) {
      timer = window.setInterval(() => {
        if (run === null || shown >= run.steps.length) setPlaying(false);
        else goTo(shown + 1);
      }, STEP_MS);
    }
  }

  const playButton = button(tr("Play", "Reproducir"), () => setPlaying(!playing), {
    "data-name": "play",
    "aria-pressed": "false",
  });
  const stepButton = button(tr("Step", "Paso"), () => goTo(shown + 1), { "data-name": "step" });
  const resetButton = button(
    tr("Reset", "Reiniciar"),
    () => {
      setPlaying(false);
      goTo(0);
    },
    { "data-name": "reset" },
  );

  const refetch = () => {
    setPlaying(false);
    shown = 0;
    tween = { from: x0, to: x0, start: 0 };
    fetchRun({ lr: auto ? "auto" : lr, x0 });
  };
  const rate = slider({
    label: tr("rate ν", "tasa ν"),
    min: 0.01,
    max: 1.2,
    step: 0.01,
    value: lr,
    name: "rate",
    format: (v) => formatNumber(v, 2),
    onInput: (v) => {
      lr = v;
      refetch();
    },
  });
  const autoBox = checkbox({
    label: tr("auto (line search)", "auto (búsqueda lineal)"),
    checked: auto,
    name: "auto",
    onChange: (on) => {
      auto = on;
      rate.input.disabled = on;
      refetch();
    },
  });
  rate.input.disabled = auto;
  const start = field({
    label: tr("start x₀", "inicio x₀"),
    value: String(x0),
    type: "number",
    step: 0.5,
    name: "x0",
    onCommit: (text) => {
      const value = Number(text);
      if (Number.isFinite(value) && Math.abs(value) <= 1e6) {
        x0 = value;
        refetch();
      }
    },
  });

  root.append(
    heading(
      2,
      tr("The parabola", "La parábola"),
      tr(
        "Minimize y = x² − 4x + 6. Its derivative is dy/dx = 2x − 4, zero at x = 2. Gradient descent starts at x = 8 and repeats x_new = x_old − ν·dy/dx. Step through it and compare with the document's table; then push the rate ν up to 1.1, or let the line search choose each step.",
        "Minimiza y = x² − 4x + 6. Su derivada es dy/dx = 2x − 4, nula en x = 2. El descenso de gradiente empieza en x = 8 y repite x_new = x_old − ν·dy/dx. Avanza paso a paso y compara con la tabla del documento; luego sube la tasa ν hasta 1.1, o deja que la búsqueda lineal elija cada paso.",
      ),
      "Pequeños pasos y morirás en la montaña, nunca bajarás. Un paso demasiado grande y te arriesgas a disparar al pueblo y terminar al otro lado de la montaña.",
    ),
    h(
      "div",
      { class: "columns" },
      panel(
        null,
        s.canvas,
        controls(playButton, stepButton, resetButton, counter),
        controls(rate.element, autoBox.element, start.element),
        message,
      ),
      panel(tr("The steps", "Los pasos"), formula, scroller),
    ),
  );
  onLeave(() => setPlaying(false));
  onLeave(onResize(root, draw));
  fetchRun({ lr: auto ? "auto" : lr, x0 });
}
