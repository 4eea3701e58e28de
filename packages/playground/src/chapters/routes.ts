/**
 * Chapter 3, other routes: for any expression the reader types, the symbolic derivative, the
 * analytic minimum, Newton–Raphson, grid search and gradient descent side by side with their
 * iteration counts, and the parser's errors with the column they point at.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, Frame, onResize, series, surface } from "../ui/canvas";
import { latestOnly } from "../ui/coalesce";
import { controls, field, h } from "../ui/dom";
import type { Methods, RoutesResult, RunSummary } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

type Args = Methods["routes"]["args"];

export function mount({ root, state, onLeave }: ChapterContext): void {
  let args: Args = {
    expression: state.text("f", "x^2 - 4x + 6"),
    x0: state.number("x0", 8),
    bounds: [state.number("lo", -10), state.number("hi", 10)],
  };
  let result: RoutesResult | null = null;

  const s = surface(
    tr("The function and the minima each route found", "La función y los mínimos que encontró cada camino"),
    0.55,
    640,
  );
  const problem = h("div", { "data-name": "problem", role: "alert" });
  const derivatives = h("div", { class: "formula" });
  const rows = h("tbody");

  const run = latestOnly(
    (a: Args) => getEngine().call("routes", a),
    (answer, a) => {
      state.set({ f: a.expression, x0: a.x0, lo: a.bounds[0], hi: a.bounds[1] });
      if ("problem" in answer) {
        const { message, column } = answer.problem;
        problem.replaceChildren(
          h(
            "div",
            { class: "message bad" },
            h("div", { text: message }),
            column > 0
              ? h("pre", { class: "caret", text: `${a.expression}\n${" ".repeat(column - 1)}^` })
              : null,
          ),
        );
        return;
      }
      problem.replaceChildren();
      result = answer.ok;
      render();
    },
  );

  function summaryRow(name: string, r: RunSummary, color: string): HTMLElement {
    return h(
      "tr",
      {},
      h("td", { class: "text" }, h("span", { class: "swatch", style: `background:${color}` }), name),
      h("td", { text: formatNumber(r.x[0] ?? Number.NaN, 4) }),
      h("td", { text: formatNumber(r.value, 4) }),
      h("td", { text: String(r.iterations), "data-name": `iterations-${name}` }),
      h("td", { text: String(r.evaluations) }),
      h("td", { class: "text note reason", text: r.reason }),
    );
  }

  function render(): void {
    if (result === null) return;
    const v = result.variable;
    derivatives.replaceChildren(
      h("p", { "data-name": "derivative" }, `f′(${v}) = ${result.derivative}`),
      h("p", {}, `f″(${v}) = ${result.second}`),
    );
    const analytic = result.analytic;
    rows.replaceChildren(
      "points" in analytic
        ? h(
            "tr",
            {},
            h("td", { class: "text", text: tr("analytic (f′ = 0)", "analítico (f′ = 0)") }),
            h("td", {
              colspan: 5,
              class: "text",
              text:
                analytic.points.length === 0
                  ? tr("no stationary point", "ningún punto estacionario")
                  : analytic.points
                      .map(
                        (p) => `${v} = ${formatNumber(p.x, 4)} (${p.kind}, f = ${formatNumber(p.value, 4)})`,
                      )
                      .join("; "),
            }),
          )
        : h(
            "tr",
            {},
            h("td", { class: "text", text: tr("analytic", "analítico") }),
            h("td", { colspan: 5, class: "text note", text: analytic.error }),
          ),
      summaryRow("Newton–Raphson", result.newton, series[0]!),
      summaryRow(tr("grid search", "búsqueda en cuadrícula"), result.grid, series[2]!),
      summaryRow(
        tr("gradient descent (line search)", "descenso de gradiente (búsqueda lineal)"),
        result.gd,
        series[3]!,
      ),
    );
    draw();
  }

  function draw(): void {
    s.fit();
    if (result === null) return;
    const { xs, ys } = result.curve;
    const finite = ys.filter(Number.isFinite);
    const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
    const pad = (hi - lo) * 0.08 || 1;
    Object.assign(frame, { x0: xs[0]!, x1: xs.at(-1)!, y0: lo - pad, y1: hi + pad });
    frame.axes(result.variable, "f");
    frame.polyline(xs, ys, colors.ink, 2);
    const newtonXs = result.newton.path;
    frame.polyline(
      newtonXs,
      newtonXs.map((x) => interpolate(xs, ys, x)),
      "rgba(28, 126, 214, 0.5)",
      1,
    );
    [result.newton, result.grid, result.gd].forEach((r, i) => {
      const x = r.x[0]!;
      if (Number.isFinite(r.value)) frame.dot(x, r.value, [series[0], series[2], series[3]][i]!, 6 - i);
    });
    if ("points" in result.analytic)
      for (const p of result.analytic.points) frame.dot(p.x, p.value, colors.accent, 3);
  }
  const frame = new Frame(s, -10, 10, 0, 1);

  const expression = field({
    label: tr("f(x) =", "f(x) ="),
    value: args.expression,
    name: "expression",
    wide: true,
    onCommit: (text) => {
      args = { ...args, expression: text };
      run(args);
    },
  });
  expression.input.addEventListener("input", () => {
    args = { ...args, expression: expression.input.value };
    run(args);
  });
  const numberField = (label: string, value: number, set: (v: number) => void, name: string) =>
    field({
      label,
      value: String(value),
      type: "number",
      name,
      onCommit: (text) => {
        const v = Number(text);
        if (!Number.isFinite(v)) return;
        set(v);
        run(args);
      },
    }).element;

  root.append(
    heading(
      3,
      tr("Other routes", "Otros caminos"),
      tr(
        "Type any function of one variable (x^2 - 4x + 6, sin(x) + x^2/10, x^4 - 3x^3 + 2, exp(x) - 3x …). deriva's parser reads it, differentiates it symbolically, and four routes look for the minimum: setting f′ = 0 (polynomials only), Newton–Raphson, a grid search and gradient descent. A typo gets a message that points at its column.",
        "Escribe cualquier función de una variable (x^2 - 4x + 6, sin(x) + x^2/10, x^4 - 3x^3 + 2, exp(x) - 3x …). El analizador de deriva la lee, la deriva simbólicamente y cuatro caminos buscan el mínimo: igualar f′ = 0 (solo polinomios), Newton–Raphson, una búsqueda en cuadrícula y el descenso de gradiente. Un error de escritura recibe un mensaje que señala su columna.",
      ),
      "Sin embargo, muchas veces encontrar un mínimo global analíticamente no es factible. Entonces, en cambio, usamos algunas técnicas de optimización: Newton-Raphson, búsqueda de cuadrícula, etc.",
    ),
    panel(
      null,
      controls(
        expression.element,
        numberField(
          tr("start x₀", "inicio x₀"),
          args.x0,
          (v) => {
            args = { ...args, x0: v };
          },
          "x0",
        ),
        numberField(
          tr("grid from", "cuadrícula desde"),
          args.bounds[0],
          (v) => {
            args = { ...args, bounds: [v, args.bounds[1]] };
          },
          "lo",
        ),
        numberField(
          tr("to", "hasta"),
          args.bounds[1],
          (v) => {
            args = { ...args, bounds: [args.bounds[0], v] };
          },
          "hi",
        ),
      ),
      problem,
      derivatives,
    ),
    panel(null, s.canvas),
    h(
      "div",
      {},
      panel(
        tr("Side by side", "Lado a lado"),
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { "data-name": "routes" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { class: "text", text: tr("route", "camino") }),
                h("th", { text: "x*" }),
                h("th", { text: "f(x*)" }),
                h("th", { text: tr("iterations", "iteraciones") }),
                h("th", { text: tr("evaluations", "evaluaciones") }),
                h("th", { class: "text", text: tr("why it stopped", "por qué se detuvo") }),
              ),
            ),
            rows,
          ),
        ),
      ),
    ),
  );
  onLeave(onResize(root, draw));
  run(args);
}

/** f at x by linear interpolation on the plotted curve (for the Newton path's dots). */
function interpolate(xs: number[], ys: number[], x: number): number {
  const i = xs.findIndex((v) => v >= x);
  if (i <= 0) return ys[Math.max(0, i)] ?? Number.NaN;
  const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
  return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
}
