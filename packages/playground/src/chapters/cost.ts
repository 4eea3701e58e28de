/**
 * Chapter 1, the cost: points, a line ŷ = a·x + b the reader moves, each error (ŷ − y) drawn as
 * a square, and the quadratic cost C = 1/N Σ (ŷ − y)² with its 1/(2N) form, both by deriva.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, Frame, onResize, surface } from "../ui/canvas";
import { latestOnly } from "../ui/coalesce";
import { button, controls, h, slider } from "../ui/dom";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

const DEFAULT_POINTS = [1, 2.2, 2.5, 2.8, 4, 5.1, 5.5, 4.6, 7, 7.4, 8.5, 7.9];
const BOX = 10;

export function mount({ root, state, onLeave }: ChapterContext): void {
  let points: [number, number][] = pairs(state.numbers("p", DEFAULT_POINTS));
  if (points.length < 2) points = pairs(DEFAULT_POINTS);
  let slope = state.number("a", 0.5);
  let intercept = state.number("b", 2);
  let residuals: number[] = [];

  const s = surface(
    tr("Points, the line and the squared errors", "Puntos, la recta y los errores al cuadrado"),
    1,
    520,
  );
  const frame = new Frame(s, 0, BOX, 0, BOX);
  s.canvas.classList.add("draggable");
  const mseOut = h("span", { class: "big", "data-name": "mse" });
  const halfOut = h("span", { class: "big", "data-name": "half" });
  const terms = h("p", { class: "note formula" });

  const ask = latestOnly(
    (args: { points: [number, number][]; slope: number; intercept: number }) =>
      getEngine().call("cost", args),
    (result) => {
      residuals = result.residuals;
      mseOut.textContent = formatNumber(result.mse, 4);
      halfOut.textContent = formatNumber(result.quadratic, 4);
      terms.textContent = `(ŷ − y)² = ${result.residuals.map((r) => formatNumber(r * r, 2)).join(" + ")}`;
      draw();
    },
  );
  const update = () => {
    state.set({ a: round(slope), b: round(intercept), p: points.flat().map(round) });
    ask({ points, slope, intercept });
    draw();
  };

  const slopeSlider = slider({
    label: tr("slope a", "pendiente a"),
    min: -2,
    max: 3,
    step: 0.01,
    value: slope,
    name: "slope",
    format: (v) => formatNumber(v, 2),
    onInput: (v) => {
      slope = v;
      update();
    },
  });
  const interceptSlider = slider({
    label: tr("intercept b", "ordenada b"),
    min: -5,
    max: 10,
    step: 0.01,
    value: intercept,
    name: "intercept",
    format: (v) => formatNumber(v, 2),
    onInput: (v) => {
      intercept = v;
      update();
    },
  });

  function draw(): void {
    s.fit();
    frame.axes("x", "y");
    const c = s.context;
    // each error as a square of side |ŷ − y| beside its point
    points.forEach(([x, y], i) => {
      const predicted = slope * x + intercept;
      const r = residuals[i] ?? predicted - y;
      const side = Math.abs(r);
      const [left, right] = [frame.px(x), frame.px(x + side)];
      const [top, bottom] = [frame.py(Math.max(y, predicted)), frame.py(Math.min(y, predicted))];
      c.fillStyle = "rgba(217, 72, 15, 0.15)";
      c.strokeStyle = "rgba(217, 72, 15, 0.6)";
      c.lineWidth = 1;
      c.fillRect(left, top, right - left, bottom - top);
      c.strokeRect(left, top, right - left, bottom - top);
    });
    frame.polyline([0, BOX], [intercept, slope * BOX + intercept], colors.blue, 2.5);
    for (const [x, y] of points) frame.dot(x, y, colors.ink, 5);
  }

  // drag a point, or the line (near it: moves the intercept; near an end: turns it)
  let dragging: { kind: "point"; index: number } | { kind: "line"; dy: number } | null = null;
  s.canvas.addEventListener("pointerdown", (event) => {
    const [x, y] = frame.invert(event.offsetX, event.offsetY);
    const near = points.findIndex(
      ([px, py]) => Math.hypot(frame.px(px) - event.offsetX, frame.py(py) - event.offsetY) < 12,
    );
    if (near >= 0) dragging = { kind: "point", index: near };
    else if (Math.abs(frame.py(slope * x + intercept) - event.offsetY) < 16)
      dragging = { kind: "line", dy: y - (slope * x + intercept) };
    else return;
    s.canvas.setPointerCapture(event.pointerId);
  });
  s.canvas.addEventListener("pointermove", (event) => {
    if (dragging === null) return;
    const [x, y] = frame.invert(event.offsetX, event.offsetY).map((v) => Math.max(0, Math.min(BOX, v))) as [
      number,
      number,
    ];
    if (dragging.kind === "point") points[dragging.index] = [x, y];
    else {
      intercept = Math.max(-5, Math.min(10, y - dragging.dy - slope * x));
      interceptSlider.set(intercept);
    }
    update();
  });
  s.canvas.addEventListener("pointerup", () => {
    dragging = null;
  });

  const reset = button(tr("Reset the points", "Restablecer los puntos"), () => {
    points = pairs(DEFAULT_POINTS);
    update();
  });

  root.append(
    heading(
      1,
      tr("The cost", "El costo"),
      tr(
        "A model predicts ŷ; the truth is y. The quadratic cost adds up the squares of the errors: move the line (drag it, or use the sliders) and drag the points, and watch each square and the cost change. The orange squares are the terms (ŷ − y)².",
        "Un modelo predice ŷ; la verdad es y. El costo cuadrático suma los cuadrados de los errores: mueve la recta (arrástrala o usa los deslizadores) y arrastra los puntos, y mira cómo cambian cada cuadrado y el costo. Los cuadrados naranjas son los términos (ŷ − y)².",
      ),
      "Una función de costo común que se usa es el costo cuadrático que se define como C = 1/N Σ (ŷ − y)².",
    ),
    h(
      "div",
      { class: "columns" },
      panel(null, s.canvas, controls(slopeSlider.element, interceptSlider.element, reset)),
      panel(
        tr("The cost, computed by deriva", "El costo, calculado por deriva"),
        h(
          "p",
          { class: "formula" },
          "C = 1/N Σ (ŷ − y)² = ",
          mseOut,
          h("span", { class: "note", text: "  (loss.mse)" }),
        ),
        h(
          "p",
          { class: "formula" },
          "C = 1/(2N) Σ (ŷ − y)² = ",
          halfOut,
          h("span", { class: "note", text: "  (loss.quadratic)" }),
        ),
        terms,
        h("p", {
          class: "note",
          text: tr(
            "The ½ changes nothing about where the minimum is; it makes the derivative tidier: ∂C/∂ŷ = (ŷ − y)/N.",
            "El ½ no cambia dónde está el mínimo; hace más limpia la derivada: ∂C/∂ŷ = (ŷ − y)/N.",
          ),
        }),
      ),
    ),
  );
  onLeave(onResize(root, draw));
  update();
}

function pairs(values: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < values.length; i += 2) out.push([values[i]!, values[i + 1]!]);
  return out;
}

const round = (v: number) => Math.round(v * 100) / 100;
