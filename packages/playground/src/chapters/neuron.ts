/**
 * Chapter 7, a sigmoid neuron learns: two classes of points, ŷ = σ(w·x + b), the cost
 * C = 1/(2N) Σ (ŷ − y)² on mini-batches of N points, w ← w − η ∂C/∂w; the decision boundary as
 * a heatmap, the cost curve, and sliders for the batch size and the rate.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, surface } from "../ui/canvas";
import { liveChart } from "../ui/curves";
import { button, controls, h, reducedMotion, slider } from "../ui/dom";
import { drawField } from "../ui/heatmap";
import { trainingLoop, whileShown } from "../ui/loop";
import type { NeuronSnapshot } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

/** The loss chart redraws at most this often while training (the field and the network every result). */
const CHART_EVERY_MS = 150;
const MAX_CURVE = 4000;

export function mount({ root, state, onLeave, alive }: ChapterContext): void {
  let lr = state.number("lr", 1);
  let batchSize = state.number("batch", 20);
  let spread = state.number("spread", 1.5);
  let seed = state.number("seed", 1);
  let snapshot: NeuronSnapshot | null = null;
  const curve: { steps: number[]; costs: number[] } = { steps: [], costs: [] };
  let lastPaint = 0;
  let lastChart = 0;

  const s = surface(
    tr(
      "The two classes and the neuron's output σ(w·x + b) over the plane",
      "Las dos clases y la salida de la neurona σ(w·x + b) sobre el plano",
    ),
    1,
    440,
  );
  const chart = liveChart({
    label: tr("The cost per step", "El costo por paso"),
    xLabel: tr("step", "paso"),
    series: ["C"],
    logY: true,
    height: 200,
  });
  const readout = h("p", { class: "formula", "data-name": "readout", "aria-live": "off" });
  const problem = h("div", { role: "alert" });

  function show(next: NeuronSnapshot): void {
    snapshot = next;
    if (curve.steps.at(-1) !== next.step) {
      curve.steps.push(next.step);
      curve.costs.push(next.cost);
      if (curve.steps.length > MAX_CURVE) {
        curve.steps.splice(0, curve.steps.length - MAX_CURVE);
        curve.costs.splice(0, curve.costs.length - MAX_CURVE);
      }
    }
    const now = performance.now();
    if (reducedMotion() && loop.playing() && now - lastPaint < 500) return;
    lastPaint = now;
    readout.textContent = tr(
      `step ${next.step} · C = ${formatNumber(next.cost, 4)} · accuracy ${formatNumber(next.accuracy * 100, 1)} % · w = (${formatNumber(next.w[0], 3)}, ${formatNumber(next.w[1], 3)}) · b = ${formatNumber(next.b, 3)}`,
      `paso ${next.step} · C = ${formatNumber(next.cost, 4)} · exactitud ${formatNumber(next.accuracy * 100, 1)} % · w = (${formatNumber(next.w[0], 3)}, ${formatNumber(next.w[1], 3)}) · b = ${formatNumber(next.b, 3)}`,
    );
    if (!loop.playing() || now - lastChart > CHART_EVERY_MS) {
      lastChart = now;
      chart.set(curve.steps, [curve.costs]);
    }
    draw();
  }

  function draw(): void {
    s.fit();
    if (snapshot === null) return;
    const c = s.context;
    const [x0, x1, y0, y1] = snapshot.box;
    drawField(
      c,
      snapshot.field,
      snapshot.grid,
      { x: 0, y: 0, width: s.width, height: s.height },
      (p) => 2 * p - 1,
    );
    const px = (x: number) => ((x - x0) / (x1 - x0)) * s.width;
    const py = (y: number) => ((y1 - y) / (y1 - y0)) * s.height;
    const { points } = snapshot;
    for (let i = 0; i < points.length; i += 3) {
      c.fillStyle = points[i + 2] === 1 ? "#0877bd" : "#f59322";
      c.strokeStyle = "white";
      c.lineWidth = 1.5;
      c.beginPath();
      c.arc(px(points[i]!), py(points[i + 1]!), 4, 0, 2 * Math.PI);
      c.fill();
      c.stroke();
    }
    // the boundary w·x + b = 0
    const [w0, w1] = snapshot.w;
    if (Math.abs(w1) > 1e-9 || Math.abs(w0) > 1e-9) {
      c.strokeStyle = colors.ink;
      c.lineWidth = 2;
      c.beginPath();
      if (Math.abs(w1) > Math.abs(w0)) {
        c.moveTo(px(x0), py(-(w0 * x0 + snapshot.b) / w1));
        c.lineTo(px(x1), py(-(w0 * x1 + snapshot.b) / w1));
      } else {
        c.moveTo(px(-(w1 * y0 + snapshot.b) / w0), py(y0));
        c.lineTo(px(-(w1 * y1 + snapshot.b) / w0), py(y1));
      }
      c.stroke();
    }
  }

  const fail = (error: Error) =>
    problem.replaceChildren(h("div", { class: "message bad", text: error.message }));
  const loop = trainingLoop({
    train: (steps, ms) => getEngine().call("neuronTrain", { lr, batchSize, steps, ms }),
    show,
    alive,
    onError: fail,
  });

  const reset = async () => {
    loop.pause();
    state.set({ lr, batch: batchSize, spread, seed });
    curve.steps.length = 0;
    curve.costs.length = 0;
    try {
      show(await getEngine().call("neuronReset", { seed, spread }));
    } catch (error) {
      fail(error as Error);
    }
  };
  const save = () => state.set({ lr, batch: batchSize, spread, seed });

  root.append(
    heading(
      7,
      tr("A sigmoid neuron learns", "Una neurona sigmoide aprende"),
      tr(
        "Now the document's training loop: the neuron sees a mini-batch of N points, computes C = 1/(2N) Σ (ŷ − y)², gets ∂C/∂w by the chain rule, and steps w ← w − η ∂C/∂w. The background is the neuron's output σ(w·x + b): blue near 1, orange near 0; the line is where it is ½.",
        "Ahora el bucle de entrenamiento del documento: la neurona ve un mini-lote de N puntos, calcula C = 1/(2N) Σ (ŷ − y)², obtiene ∂C/∂w por la regla de la cadena y da el paso w ← w − η ∂C/∂w. El fondo es la salida de la neurona σ(w·x + b): azul cerca de 1, naranja cerca de 0; la línea es donde vale ½.",
      ),
      "We will use gradient descent to train the weights based on the output of the sigmoid function and we will use some cost function C and train on batches of data of size N.",
    ),
    h(
      "div",
      { class: "columns" },
      panel(null, s.canvas),
      panel(
        null,
        controls(
          loop.playButton,
          loop.stepButton,
          button(tr("Reset", "Reiniciar"), () => void reset(), { "data-name": "reset" }),
        ),
        controls(
          slider({
            label: tr("rate η", "tasa η"),
            min: -2,
            max: 1.5,
            step: 0.05,
            value: Math.log10(lr),
            name: "rate",
            format: (v) => formatNumber(10 ** v, 3),
            onInput: (v) => {
              lr = Number((10 ** v).toPrecision(3));
              save();
            },
          }).element,
          slider({
            label: tr("batch size N", "tamaño del lote N"),
            min: 1,
            max: 200,
            step: 1,
            value: batchSize,
            name: "batch",
            onInput: (v) => {
              batchSize = v;
              save();
            },
          }).element,
          slider({
            label: tr("spread of the classes", "dispersión de las clases"),
            min: 0.5,
            max: 4,
            step: 0.1,
            value: spread,
            name: "spread",
            format: (v) => formatNumber(v, 1),
            onInput: (v) => {
              spread = v;
              void reset();
            },
          }).element,
          button(
            tr("New points", "Puntos nuevos"),
            () => {
              seed += 1;
              void reset();
            },
            {
              "data-name": "new-points",
            },
          ),
        ),
        readout,
        problem,
        chart.element,
      ),
    ),
  );
  whileShown(root, onLeave, { chart, loop, draw });
  void reset();
}
