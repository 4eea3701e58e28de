/**
 * Chapter 8, a network, as TensorFlow Playground shows one (but trained by deriva): datasets
 * (circle, xor, gauss, spiral, and two regressions), noise, train/test ratio, batch size, seed,
 * input features, a layer and neuron editor, activation, L1/L2, rate, play/pause/step/reset; the
 * output over the plane, each neuron's thumbnail, edges coloured by weight, train and test loss.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, surface } from "../ui/canvas";
import { liveChart } from "../ui/curves";
import { button, checkbox, controls, h, reducedMotion, select, slider } from "../ui/dom";
import { cssColor, drawField } from "../ui/heatmap";
import { trainingLoop, whileShown } from "../ui/loop";
import type {
  Feature,
  NetActivation,
  NetworkConfig,
  NetworkSnapshot,
  Regularization,
  ToyDataset,
} from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

const DATASETS: { id: ToyDataset; name: [string, string] }[] = [
  { id: "circle", name: ["circle", "círculo"] },
  { id: "xor", name: ["xor", "xor"] },
  { id: "gauss", name: ["gauss", "gauss"] },
  { id: "spiral", name: ["spiral", "espiral"] },
  { id: "plane", name: ["plane (regression)", "plano (regresión)"] },
  { id: "multigauss", name: ["multigauss (regression)", "multigauss (regresión)"] },
];
const FEATURES: { id: Feature; label: string; value: (x: number, y: number) => number }[] = [
  { id: "x", label: "x₁", value: (x) => x / 6 },
  { id: "y", label: "x₂", value: (_, y) => y / 6 },
  { id: "x2", label: "x₁²", value: (x) => (x * x) / 18 - 1 },
  { id: "y2", label: "x₂²", value: (_, y) => (y * y) / 18 - 1 },
  { id: "xy", label: "x₁x₂", value: (x, y) => (x * y) / 18 },
  { id: "sinx", label: "sin(x₁)", value: (x) => Math.sin(x) },
  { id: "siny", label: "sin(x₂)", value: (_, y) => Math.sin(y) },
];
const RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const ACTIVATIONS: NetActivation[] = ["tanh", "relu", "sigmoid", "linear"];
const MAX_LAYERS = 6;
const MAX_NEURONS = 8;
const NODE = 40;
/** The loss chart redraws at most this often while training (the field and the network every result). */
const CHART_EVERY_MS = 150;
const MAX_CURVE = 3000;
/** Each input feature over the thumbnails' lattice (they never change). */
const featureFields = new Map<string, Float32Array>();

export function mount({ root, state, onLeave, alive }: ChapterContext): void {
  const config: NetworkConfig = {
    dataset: state.choice(
      "ds",
      DATASETS.map((d) => d.id),
      "circle",
    ),
    noise: state.number("noise", 0),
    trainRatio: state.number("ratio", 50),
    seed: state.number("seed", 1),
    features: state
      .text("feat", "x,y")
      .split(",")
      .filter((f): f is Feature => FEATURES.some((k) => k.id === f)),
    hidden: state
      .numbers("hidden", [4, 2])
      .map((n) => Math.max(1, Math.min(MAX_NEURONS, Math.round(n))))
      .slice(0, MAX_LAYERS),
    activation: state.choice("act", ACTIVATIONS, "tanh"),
  };
  if (config.features.length === 0) config.features = ["x", "y"];
  let lr = state.number("lr", 0.03);
  let batchSize = state.number("batch", 10);
  let regularization = state.choice<Regularization>("reg", ["none", "l1", "l2"], "none");
  let regRate = state.number("regRate", 0);
  let discretize = state.flag("disc", false);
  let showTest = state.flag("test", false);
  let snapshot: NetworkSnapshot | null = null;
  const curve: { steps: number[]; train: number[]; test: number[] } = { steps: [], train: [], test: [] };
  let lastPaint = 0;
  let lastChart = 0;

  const output = surface(
    tr(
      "The network's output over the plane, with the data points",
      "La salida de la red sobre el plano, con los puntos de datos",
    ),
    1,
    360,
  );
  const diagram = surface(
    tr(
      "The network: each neuron's output over the plane, edges coloured by weight",
      "La red: la salida de cada neurona sobre el plano, aristas coloreadas según el peso",
    ),
    0.42,
    900,
  );
  const chart = liveChart({
    label: tr("Train and test loss", "Pérdida de entrenamiento y de prueba"),
    xLabel: tr("step", "paso"),
    series: [tr("train", "entrenamiento"), tr("test", "prueba")],
    logY: true,
    height: 160,
  });
  const losses = h("p", { class: "formula", "data-name": "losses" });
  const problem = h("div", { role: "alert" });
  const layerEditor = h("div", { class: "controls", "data-name": "layers" });

  const save = () =>
    state.set({
      ds: config.dataset,
      noise: config.noise,
      ratio: config.trainRatio,
      seed: config.seed,
      feat: config.features.join(","),
      hidden: config.hidden,
      act: config.activation,
      lr,
      batch: batchSize,
      reg: regularization,
      regRate,
      disc: discretize,
      test: showTest,
    });

  function show(next: NetworkSnapshot): void {
    snapshot = next;
    if (curve.steps.at(-1) !== next.step) {
      curve.steps.push(next.step);
      curve.train.push(next.trainLoss);
      curve.test.push(next.testLoss);
      if (curve.steps.length > MAX_CURVE)
        for (const list of Object.values(curve)) list.splice(0, list.length - MAX_CURVE);
    }
    losses.dataset.step = String(next.step);
    losses.dataset.testLoss = String(next.testLoss);
    const now = performance.now();
    if (reducedMotion() && loop.playing() && now - lastPaint < 500) return;
    lastPaint = now;
    losses.textContent = tr(
      `epoch ${formatNumber(next.epoch, 1)} · step ${next.step} · train loss ${formatNumber(next.trainLoss, 4)} · test loss ${formatNumber(next.testLoss, 4)}`,
      `época ${formatNumber(next.epoch, 1)} · paso ${next.step} · pérdida de entrenamiento ${formatNumber(next.trainLoss, 4)} · de prueba ${formatNumber(next.testLoss, 4)}`,
    );
    if (!loop.playing() || now - lastChart > CHART_EVERY_MS) {
      lastChart = now;
      chart.set(curve.steps, [curve.train, curve.test]);
    }
    draw();
  }

  const toUnit = (value: number) => (snapshot?.regression ? value : 2 * value - 1);

  function drawOutput(): void {
    output.fit();
    if (snapshot === null) return;
    const c = output.context;
    const { width, height } = output;
    drawField(c, snapshot.output, snapshot.grid, { x: 0, y: 0, width, height }, toUnit, discretize);
    const { points, trainCount } = snapshot;
    const count = points.length / 3;
    for (let i = 0; i < count; i++) {
      const isTest = i >= trainCount;
      if (isTest && !showTest) continue;
      const label = points[i * 3 + 2]!;
      c.fillStyle = cssColor(snapshot.regression ? label : 2 * label - 1);
      c.strokeStyle = isTest ? colors.ink : "white";
      c.lineWidth = isTest ? 1.5 : 1;
      c.beginPath();
      c.arc(
        ((points[i * 3]! + 6) / 12) * width,
        ((6 - points[i * 3 + 1]!) / 12) * height,
        3.5,
        0,
        2 * Math.PI,
      );
      c.fill();
      c.stroke();
    }
  }

  function drawDiagram(): void {
    diagram.fit();
    const c = diagram.context;
    c.clearRect(0, 0, diagram.width, diagram.height);
    if (snapshot === null) return;
    const columns = [config.features.length, ...config.hidden, 1];
    const rows = Math.max(...columns);
    const gapX = (diagram.width - NODE) / (columns.length - 1);
    const gapY = Math.min(NODE + 14, (diagram.height - NODE) / Math.max(1, rows - 1));
    const place = (col: number, row: number): [number, number] => {
      const top = (diagram.height - ((columns[col]! - 1) * gapY + NODE)) / 2;
      return [col * gapX, top + row * gapY];
    };
    // edges, coloured and thickened by weight
    snapshot.weights.forEach((weights, layer) => {
      const [inputs, outputs] = [columns[layer]!, columns[layer + 1]!];
      if (weights.length !== inputs * outputs) return;
      for (let o = 0; o < outputs; o++) {
        for (let i = 0; i < inputs; i++) {
          const w = weights[o * inputs + i]!;
          const [x0, y0] = place(layer, i);
          const [x1, y1] = place(layer + 1, o);
          c.strokeStyle = cssColor(Math.tanh(w));
          c.lineWidth = Math.min(6, 0.5 + Math.abs(w) * 1.5);
          c.beginPath();
          c.moveTo(x0 + NODE, y0 + NODE / 2);
          c.lineTo(x1, y1 + NODE / 2);
          c.stroke();
        }
      }
    });
    // nodes: the features, each hidden neuron, the output
    const g = snapshot.neuronGrid;
    const featureField = (feature: (typeof FEATURES)[number]) => {
      const key = `${feature.id}:${g}`;
      let field = featureFields.get(key);
      if (field === undefined) {
        field = Float32Array.from({ length: g * g }, (_, k) =>
          feature.value(-6 + (12 * ((k % g) + 0.5)) / g, 6 - (12 * (Math.floor(k / g) + 0.5)) / g),
        );
        featureFields.set(key, field);
      }
      return field;
    };
    config.features.forEach((id, row) => {
      const feature = FEATURES.find((f) => f.id === id)!;
      const [x, y] = place(0, row);
      drawField(c, featureField(feature), g, { x, y, width: NODE, height: NODE }, (v) => v);
      c.fillStyle = colors.ink;
      c.font = "11px system-ui, sans-serif";
      c.textAlign = "left";
      c.fillText(feature.label, x, y - 2);
    });
    let offset = 0;
    config.hidden.forEach((units, layer) => {
      for (let u = 0; u < units; u++) {
        const [x, y] = place(layer + 1, u);
        const values = snapshot!.neurons.subarray(offset, offset + g * g);
        offset += g * g;
        const squash =
          config.activation === "sigmoid"
            ? (v: number) => 2 * v - 1
            : config.activation === "tanh"
              ? (v: number) => v
              : (v: number) => Math.tanh(v);
        drawField(c, values, g, { x, y, width: NODE, height: NODE }, squash, discretize);
      }
    });
    const [x, y] = place(columns.length - 1, 0);
    drawField(c, snapshot.output, snapshot.grid, { x, y, width: NODE, height: NODE }, toUnit, discretize);
  }

  function draw(): void {
    drawOutput();
    drawDiagram();
  }

  const fail = (error: Error) =>
    problem.replaceChildren(h("div", { class: "message bad", text: error.message }));
  const loop = trainingLoop({
    train: (steps, ms) =>
      getEngine().call("networkTrain", { lr, batchSize, regularization, regRate, steps, ms }),
    show,
    alive,
    onError: fail,
  });

  async function reset(): Promise<void> {
    loop.pause();
    save();
    renderLayers();
    for (const list of Object.values(curve)) list.length = 0;
    problem.replaceChildren();
    try {
      show(
        await getEngine().call("networkReset", {
          ...config,
          features: [...config.features],
          hidden: [...config.hidden],
        }),
      );
    } catch (error) {
      fail(error as Error);
    }
  }

  function renderLayers(): void {
    const editor = [
      h("span", {
        class: "note",
        text: tr(`${config.hidden.length} hidden layer(s)`, `${config.hidden.length} capa(s) oculta(s)`),
      }),
      button(
        "+",
        () => {
          if (config.hidden.length < MAX_LAYERS) config.hidden.push(2);
          void reset();
        },
        { "aria-label": tr("add a hidden layer", "añadir una capa oculta"), "data-name": "add-layer" },
      ),
      button(
        "−",
        () => {
          config.hidden.pop();
          void reset();
        },
        {
          "aria-label": tr("remove the last hidden layer", "quitar la última capa oculta"),
          "data-name": "remove-layer",
        },
      ),
    ];
    config.hidden.forEach((units, i) => {
      editor.push(
        h(
          "span",
          { class: "note", role: "group", "aria-label": tr(`layer ${i + 1}`, `capa ${i + 1}`) },
          tr(`layer ${i + 1}: ${units} `, `capa ${i + 1}: ${units} `),
          button(
            "+",
            () => {
              config.hidden[i] = Math.min(MAX_NEURONS, units + 1);
              void reset();
            },
            { "aria-label": tr(`add a neuron to layer ${i + 1}`, `añadir una neurona a la capa ${i + 1}`) },
          ),
          button(
            "−",
            () => {
              config.hidden[i] = Math.max(1, units - 1);
              void reset();
            },
            {
              "aria-label": tr(
                `remove a neuron from layer ${i + 1}`,
                `quitar una neurona de la capa ${i + 1}`,
              ),
            },
          ),
        ),
      );
    });
    layerEditor.replaceChildren(...editor);
  }

  const datasetButtons = h("div", {
    class: "controls",
    role: "group",
    "aria-label": tr("Dataset", "Conjunto de datos"),
  });
  const renderDatasets = () =>
    datasetButtons.replaceChildren(
      ...DATASETS.map((d) =>
        button(
          tr(...d.name),
          () => {
            config.dataset = d.id;
            renderDatasets();
            void reset();
          },
          { "aria-pressed": String(config.dataset === d.id), "data-dataset": d.id },
        ),
      ),
    );
  renderDatasets();
  const featureBoxes = FEATURES.map((f) =>
    checkbox({
      label: f.label,
      checked: config.features.includes(f.id),
      name: `feature-${f.id}`,
      onChange: (on) => {
        const next = FEATURES.map((k) => k.id).filter((id) =>
          id === f.id ? on : config.features.includes(id),
        );
        if (next.length === 0) {
          featureBoxes.find((b) => b.input.dataset.name === `feature-${f.id}`)!.input.checked = true;
          return;
        }
        config.features = next;
        void reset();
      },
    }),
  );
  const number = (v: number) => String(v);

  root.append(
    heading(
      8,
      tr("A network", "Una red"),
      tr(
        "Neurons in layers, each a sigmoid-like unit of the last chapter, trained together by backpropagation. Pick a dataset, the inputs, the layers; press play. Each small square is what that neuron computes over the plane; edges are blue for positive weights and orange for negative, thicker when larger.",
        "Neuronas en capas, cada una como la del capítulo anterior, entrenadas juntas por retropropagación. Elige un conjunto de datos, las entradas, las capas; pulsa reproducir. Cada cuadrito es lo que esa neurona calcula sobre el plano; las aristas son azules para pesos positivos y naranjas para negativos, más gruesas cuanto mayores.",
      ),
      "El uso de derivados en redes neuronales es para el proceso de entrenamiento llamado retropropagación.",
    ),
    panel(
      null,
      controls(
        loop.playButton,
        loop.stepButton,
        button(tr("Reset", "Reiniciar"), () => void reset(), { "data-name": "reset" }),
        select({
          label: tr("rate", "tasa"),
          options: RATES.map((r) => ({ value: number(r), text: number(r) })),
          value: number(RATES.includes(lr) ? lr : 0.03),
          name: "rate",
          onChange: (v) => {
            lr = Number(v);
            save();
          },
        }).element,
        select({
          label: tr("activation", "activación"),
          options: ACTIVATIONS.map((a) => ({ value: a, text: a })),
          value: config.activation,
          name: "activation",
          onChange: (v) => {
            config.activation = v;
            void reset();
          },
        }).element,
        select({
          label: tr("regularization", "regularización"),
          options: [
            { value: "none", text: tr("none", "ninguna") },
            { value: "l1", text: "L1" },
            { value: "l2", text: "L2" },
          ] as { value: Regularization; text: string }[],
          value: regularization,
          name: "regularization",
          onChange: (v) => {
            regularization = v;
            save();
          },
        }).element,
        select({
          label: tr("regularization rate", "tasa de regularización"),
          options: REG_RATES.map((r) => ({ value: number(r), text: number(r) })),
          value: number(regRate),
          name: "reg-rate",
          onChange: (v) => {
            regRate = Number(v);
            save();
          },
        }).element,
      ),
      losses,
      problem,
    ),
    panel(tr("The network", "La red"), layerEditor, diagram.canvas),
    h(
      "div",
      { class: "columns" },
      panel(
        tr("Data", "Datos"),
        datasetButtons,
        controls(
          slider({
            label: tr("training data (%)", "datos de entrenamiento (%)"),
            min: 10,
            max: 90,
            step: 10,
            value: config.trainRatio,
            name: "ratio",
            onInput: (v) => {
              config.trainRatio = v;
              void reset();
            },
          }).element,
          slider({
            label: tr("noise", "ruido"),
            min: 0,
            max: 50,
            step: 5,
            value: config.noise,
            name: "noise",
            onInput: (v) => {
              config.noise = v;
              void reset();
            },
          }).element,
          slider({
            label: tr("batch size", "tamaño del lote"),
            min: 1,
            max: 30,
            step: 1,
            value: batchSize,
            name: "batch",
            onInput: (v) => {
              batchSize = v;
              save();
            },
          }).element,
          button(
            tr("Regenerate (new seed)", "Regenerar (semilla nueva)"),
            () => {
              config.seed += 1;
              void reset();
            },
            { "data-name": "regenerate" },
          ),
        ),
        h("h2", { text: tr("Features", "Entradas") }),
        h("div", { class: "controls" }, ...featureBoxes.map((b) => b.element)),
      ),
      panel(
        tr("Output", "Salida"),
        output.canvas,
        controls(
          checkbox({
            label: tr("show test data", "mostrar datos de prueba"),
            checked: showTest,
            name: "show-test",
            onChange: (on) => {
              showTest = on;
              save();
              draw();
            },
          }).element,
          checkbox({
            label: tr("discretize output", "discretizar la salida"),
            checked: discretize,
            name: "discretize",
            onChange: (on) => {
              discretize = on;
              save();
              draw();
            },
          }).element,
        ),
        chart.element,
      ),
    ),
  );
  whileShown(root, onLeave, { chart, loop, draw });
  void reset();
}
