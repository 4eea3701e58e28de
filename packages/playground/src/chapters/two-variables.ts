/**
 * Chapter 4, two variables: the contours of Rosenbrock's valley (or the reader's function of x
 * and y) and six minimizers racing from a start point the reader clicks: gradient descent,
 * momentum, Nesterov, Adam, L-BFGS and Newton, each with its path and iteration count.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, onResize, series, surface } from "../ui/canvas";
import { latestOnly } from "../ui/coalesce";
import { contourSegments, logLevels } from "../ui/contours";
import { button, checkbox, controls, field, h, reducedMotion, slider } from "../ui/dom";
import { divergingColor } from "../ui/heatmap";
import type { RacePath } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

const METHODS: { id: string; name: [string, string] }[] = [
  { id: "gd", name: ["gradient descent (line search)", "descenso de gradiente (búsqueda lineal)"] },
  { id: "momentum", name: ["momentum", "momento"] },
  { id: "nesterov", name: ["Nesterov", "Nesterov"] },
  { id: "adam", name: ["Adam", "Adam"] },
  { id: "lbfgs", name: ["L-BFGS", "L-BFGS"] },
  { id: "newton", name: ["Newton", "Newton"] },
];
const GRID = 120;
const RACE_SECONDS = 5;

export function mount({ root, state, onLeave, alive }: ChapterContext): void {
  let expression = state.text("f", "(1-x)^2 + 100(y-x^2)^2");
  const box: [number, number, number, number] = [
    state.number("x0", -2),
    state.number("x1", 2),
    state.number("y0", -1),
    state.number("y1", 3),
  ];
  let start: [number, number] = [state.number("sx", -1.2), state.number("sy", 1)];
  let lr = state.number("lr", 0.001);
  let maxIter = state.number("iters", 2000);
  let chosen = new Set(state.text("m", METHODS.map((m) => m.id).join(",")).split(","));
  let field_: Float64Array | null = null;
  let paths: RacePath[] = [];
  let raceStart = 0;

  const s = surface(
    tr(
      "Contours of f(x, y) and the paths of the minimizers",
      "Curvas de nivel de f(x, y) y los caminos de los minimizadores",
    ),
    1,
    560,
  );
  const problem = h("div", { role: "alert" });
  const results = h("tbody");
  const background = document.createElement("canvas");

  const px = (x: number) => ((x - box[0]) / (box[1] - box[0])) * s.width;
  const py = (y: number) => ((box[3] - y) / (box[3] - box[2])) * s.height;

  const save = () =>
    state.set({
      f: expression,
      x0: box[0],
      x1: box[1],
      y0: box[2],
      y1: box[3],
      sx: start[0],
      sy: start[1],
      lr,
      iters: maxIter,
      m: [...chosen].join(","),
    });

  const showProblem = (message: string, column: number) =>
    problem.replaceChildren(
      h(
        "div",
        { class: "message bad" },
        h("div", { text: message }),
        column > 0 ? h("pre", { class: "caret", text: `${expression}\n${" ".repeat(column - 1)}^` }) : null,
      ),
    );

  const fetchField = latestOnly(
    (args: { expression: string; box: [number, number, number, number]; n: number }) =>
      getEngine().call("contours", args),
    (answer) => {
      if ("problem" in answer) return showProblem(answer.problem.message, answer.problem.column);
      problem.replaceChildren();
      field_ = answer.values;
      paintBackground();
      startRace();
    },
  );

  const runRace = latestOnly(
    (args: { expression: string; start: [number, number]; methods: string[]; lr: number; maxIter: number }) =>
      getEngine().call("race", args),
    (answer) => {
      if ("problem" in answer) return showProblem(answer.problem.message, answer.problem.column);
      paths = answer.paths;
      raceStart = performance.now();
      renderTable();
      requestAnimationFrame(animate);
    },
  );

  function startRace(): void {
    save();
    runRace({
      expression,
      start,
      methods: METHODS.map((m) => m.id).filter((id) => chosen.has(id)),
      lr,
      maxIter,
    });
  }

  /** The field as colours (log-scaled) and its contour lines, drawn once per field. */
  function paintBackground(): void {
    s.fit();
    if (field_ === null) return;
    const ratio = window.devicePixelRatio || 1;
    background.width = Math.round(s.width * ratio);
    background.height = Math.round(s.height * ratio);
    const c = background.getContext("2d")!;
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    const levels = logLevels(field_, 14);
    const lo = levels[0] ?? 0;
    const top = Math.log1p((levels.at(-1) ?? 1) - lo);
    const image = new ImageData(GRID, GRID);
    for (let i = 0; i < GRID * GRID; i++) {
      const t = Math.log1p(Math.max(0, field_[i]! - lo)) / (top || 1);
      const [r, g, b] = divergingColor(0.55 - 1.1 * Math.min(1, t));
      image.data.set([r, g, b, 255], i * 4);
    }
    const tile = document.createElement("canvas");
    tile.width = GRID;
    tile.height = GRID;
    tile.getContext("2d")!.putImageData(image, 0, 0);
    c.drawImage(tile, 0, 0, s.width, s.height);
    const scaleX = s.width / (GRID - 1);
    const scaleY = s.height / (GRID - 1);
    c.strokeStyle = "rgba(29, 36, 51, 0.35)";
    c.lineWidth = 1;
    c.beginPath();
    for (const level of levels) {
      for (const [a, b, cc, d] of contourSegments(field_, GRID, level)) {
        c.moveTo(a * scaleX, b * scaleY);
        c.lineTo(cc * scaleX, d * scaleY);
      }
    }
    c.stroke();
  }

  function animate(): void {
    if (!alive()) return;
    const elapsed = (performance.now() - raceStart) / 1000;
    const done = reducedMotion() || elapsed >= RACE_SECONDS;
    // the race clock: iterations shown so far (slow at first, so the first steps can be seen)
    const clock = done ? Number.POSITIVE_INFINITY : maxIter * (elapsed / RACE_SECONDS) ** 2;
    draw(clock);
    if (!done) requestAnimationFrame(animate);
  }

  function draw(clock = Number.POSITIVE_INFINITY): void {
    s.fit();
    const c = s.context;
    c.clearRect(0, 0, s.width, s.height);
    c.drawImage(background, 0, 0, s.width, s.height);
    paths.forEach((path) => {
      const color = series[METHODS.findIndex((m) => m.id === path.method) % series.length]!;
      const points = path.path.length / 2;
      const perPoint = points > 1 ? Math.max(1, path.iterations) / (points - 1) : 1;
      const visible = Math.min(points, Math.floor(clock / perPoint) + 1);
      c.strokeStyle = color;
      c.lineWidth = 2;
      c.beginPath();
      for (let i = 0; i < visible; i++) {
        const [x, y] = [px(path.path[2 * i]!), py(path.path[2 * i + 1]!)];
        if (i === 0) c.moveTo(x, y);
        else c.lineTo(x, y);
      }
      c.stroke();
      const last = visible - 1;
      c.fillStyle = color;
      c.beginPath();
      c.arc(px(path.path[2 * last]!), py(path.path[2 * last + 1]!), 4, 0, 2 * Math.PI);
      c.fill();
    });
    c.fillStyle = colors.ink;
    c.beginPath();
    c.arc(px(start[0]), py(start[1]), 6, 0, 2 * Math.PI);
    c.fill();
  }

  function renderTable(): void {
    results.replaceChildren(
      ...paths.map((p) => {
        const method = METHODS.find((m) => m.id === p.method)!;
        const color = series[METHODS.indexOf(method) % series.length];
        return h(
          "tr",
          {},
          h(
            "td",
            { class: "text" },
            h("span", { class: "swatch", style: `background:${color}` }),
            tr(...method.name),
          ),
          h("td", { text: String(p.iterations), "data-name": `iterations-${p.method}` }),
          h("td", { text: p.converged ? tr("yes", "sí") : tr("no", "no") }),
          h("td", { text: `(${p.x.map((v) => formatNumber(v, 4)).join(", ")})` }),
          h("td", { text: formatNumber(p.value, 6) }),
        );
      }),
    );
  }

  s.canvas.addEventListener("click", (event) => {
    start = [
      box[0] + (event.offsetX / s.width) * (box[1] - box[0]),
      box[3] - (event.offsetY / s.height) * (box[3] - box[2]),
    ].map((v) => Math.round(v * 1000) / 1000) as [number, number];
    startX.input.value = String(start[0]);
    startY.input.value = String(start[1]);
    startRace();
  });

  const expressionField = field({
    label: "f(x, y) =",
    value: expression,
    name: "expression",
    wide: true,
    onCommit: (text) => {
      expression = text;
      save();
      fetchField({ expression, box, n: GRID });
    },
  });
  const coordinate = (label: string, index: 0 | 1) =>
    field({
      label,
      value: String(start[index]),
      type: "number",
      step: 0.1,
      name: `start-${index}`,
      onCommit: (text) => {
        const v = Number(text);
        if (!Number.isFinite(v)) return;
        start[index] = v;
        startRace();
      },
    });
  const startX = coordinate(tr("start x", "inicio x"), 0);
  const startY = coordinate(tr("start y", "inicio y"), 1);
  const rate = slider({
    label: tr("rate ν (momentum, Nesterov, Adam)", "tasa ν (momento, Nesterov, Adam)"),
    min: -4,
    max: -0.5,
    step: 0.05,
    value: Math.log10(lr),
    name: "rate",
    format: (v) => formatNumber(10 ** v, 4),
    onInput: (v) => {
      lr = Number((10 ** v).toPrecision(3));
      startRace();
    },
  });
  const iterations = slider({
    label: tr("most iterations", "máximo de iteraciones"),
    min: 100,
    max: 5000,
    step: 100,
    value: maxIter,
    name: "iterations",
    onInput: (v) => {
      maxIter = v;
      startRace();
    },
  });
  const boxes = METHODS.map((m) =>
    checkbox({
      label: tr(...m.name),
      checked: chosen.has(m.id),
      name: `method-${m.id}`,
      onChange: (on) => {
        chosen = new Set(on ? [...chosen, m.id] : [...chosen].filter((id) => id !== m.id));
        startRace();
      },
    }),
  );

  root.append(
    heading(
      4,
      tr("Two variables", "Dos variables"),
      tr(
        "With two variables the cost is a landscape. Rosenbrock's valley is the classic test: the minimum is at (1, 1), at the bottom of a long, curved, nearly flat valley. Click anywhere to start the race there (or type the start point); each method's iteration count is in the table.",
        "Con dos variables el costo es un paisaje. El valle de Rosenbrock es la prueba clásica: el mínimo está en (1, 1), al fondo de un valle largo, curvo y casi plano. Haz clic en cualquier punto para empezar la carrera allí (o escribe el punto de inicio); las iteraciones de cada método están en la tabla.",
      ),
      "Imagine un problema de minimización en 2D. Esto es equivalente a estar en una caminata montañosa en el desierto. Desea volver a la aldea que sabe que está en el punto más bajo.",
    ),
    panel(
      null,
      controls(
        expressionField.element,
        startX.element,
        startY.element,
        button(tr("Race again", "Otra carrera"), startRace, { "data-name": "race" }),
      ),
      problem,
    ),
    h(
      "div",
      { class: "columns" },
      panel(null, s.canvas),
      panel(
        tr("The racers", "Los competidores"),
        h("div", { class: "controls" }, ...boxes.map((b) => b.element)),
        controls(rate.element, iterations.element),
        h(
          "table",
          { "data-name": "race" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { class: "text", text: tr("method", "método") }),
              h("th", { text: tr("iterations", "iteraciones") }),
              h("th", { text: tr("converged", "convergió") }),
              h("th", { text: "(x, y)" }),
              h("th", { text: "f" }),
            ),
          ),
          results,
        ),
      ),
    ),
  );
  onLeave(
    onResize(root, () => {
      paintBackground();
      draw();
    }),
  );
  fetchField({ expression, box, n: GRID });
}
