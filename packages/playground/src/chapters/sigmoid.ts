/**
 * Chapter 6, the sigmoid and the chain rule: σ, σ′ = σ(1 − σ) and σ″ plotted; one neuron's
 * computation graph with each node's forward value and backward gradient ∂C/∂node, taken from
 * deriva's autodiff; and the second derivative ∂²C/∂w₁² from differentiating the gradient.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { colors, Frame, onResize, series, surface } from "../ui/canvas";
import { latestOnly } from "../ui/coalesce";
import { controls, h, slider } from "../ui/dom";
import type { GraphNode, Methods, SigmoidResult } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

type Args = Methods["sigmoid"]["args"];

/** Where each node sits in the graph (viewBox units) and what feeds it. */
const LAYOUT: Record<string, { x: number; y: number; from: string[] }> = {
  "x₁": { x: 60, y: 40, from: [] },
  "w₁": { x: 60, y: 110, from: [] },
  "x₂": { x: 60, y: 180, from: [] },
  "w₂": { x: 60, y: 250, from: [] },
  b: { x: 60, y: 320, from: [] },
  z: { x: 260, y: 180, from: ["x₁", "w₁", "x₂", "w₂", "b"] },
  ŷ: { x: 430, y: 180, from: ["z"] },
  C: { x: 600, y: 180, from: ["ŷ"] },
};
const SVG = "http://www.w3.org/2000/svg";

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function mount({ root, state, onLeave }: ChapterContext): void {
  const args: Args = {
    x: [state.number("x1", 1), state.number("x2", 2)],
    w: [state.number("w1", 0.5), state.number("w2", -0.3)],
    b: state.number("b", 0.1),
    y: state.number("y", 1),
  };
  let result: SigmoidResult | null = null;

  const s = surface(tr("σ(z), σ′(z) and σ″(z)", "σ(z), σ′(z) y σ″(z)"), 0.55, 560);
  const frame = new Frame(s, -6, 6, -0.15, 1.05);
  const graph = svg("svg", { viewBox: "0 0 680 370", width: "100%", class: "graph", "aria-hidden": "true" });
  const table = h("tbody");
  const second = h("p", { class: "formula", "data-name": "second" });

  const run = latestOnly(
    (a: Args) => getEngine().call("sigmoid", a),
    (answer) => {
      result = answer;
      render();
    },
  );

  function render(): void {
    if (result === null) return;
    const byName = new Map(result.nodes.map((n) => [n.name, n]));
    graph.replaceChildren();
    for (const place of Object.values(LAYOUT)) {
      for (const from of place.from) {
        const source = LAYOUT[from]!;
        graph.append(
          svg("line", {
            x1: source.x + 50,
            y1: source.y,
            x2: place.x - 55,
            y2: place.y,
            stroke: colors.muted,
            "stroke-width": 1.2,
          }),
        );
      }
    }
    for (const [name, place] of Object.entries(LAYOUT)) {
      const node = byName.get(name);
      if (node === undefined) continue;
      const g = svg("g", { transform: `translate(${place.x - 55}, ${place.y - 28})` });
      g.append(
        svg("rect", {
          width: 110,
          height: 56,
          rx: 8,
          fill: "#fff",
          stroke: name === "C" ? colors.accent : colors.ink,
          "stroke-width": 1.5,
        }),
      );
      g.append(
        svg(
          "text",
          { x: 55, y: 17, "text-anchor": "middle", "font-size": 14, "font-weight": 700, fill: colors.ink },
          name,
        ),
      );
      g.append(
        svg(
          "text",
          { x: 55, y: 33, "text-anchor": "middle", "font-size": 12, fill: colors.blue },
          `= ${formatNumber(node.value, 4)}`,
        ),
      );
      g.append(
        svg(
          "text",
          { x: 55, y: 49, "text-anchor": "middle", "font-size": 12, fill: colors.accent },
          `∂C = ${formatNumber(node.grad, 4)}`,
        ),
      );
      graph.append(g);
    }
    graph.append(
      svg(
        "text",
        { x: 340, y: 360, "text-anchor": "middle", "font-size": 12, fill: colors.muted },
        tr(
          "blue: forward value · orange: ∂C/∂node (backward)",
          "azul: valor hacia adelante · naranja: ∂C/∂nodo (hacia atrás)",
        ),
      ),
    );
    table.replaceChildren(
      ...result.nodes.map((n: GraphNode) =>
        h(
          "tr",
          { "data-node": n.name },
          h("td", { class: "text", text: n.name }),
          h("td", { text: formatNumber(n.value, 6) }),
          h("td", { text: formatNumber(n.grad, 6) }),
        ),
      ),
    );
    second.textContent = `∂²C/∂w₁² = ${formatNumber(result.secondW1, 6)}`;
    draw();
  }

  function draw(): void {
    s.fit();
    frame.axes("z", "");
    if (result === null) return;
    const { zs, sigma, d1, d2 } = result.curves;
    frame.polyline(zs, sigma, series[0]!, 2.5);
    frame.polyline(zs, d1, series[1]!, 2);
    frame.polyline(zs, d2, series[2]!, 2);
    const z = result.nodes.find((n) => n.name === "z")!.value;
    if (Math.abs(z) <= 6) frame.dot(z, 1 / (1 + Math.exp(-z)), colors.ink, 5);
  }

  const update = () => {
    state.set({ x1: args.x[0], x2: args.x[1], w1: args.w[0], w2: args.w[1], b: args.b, y: args.y });
    run({ ...args, x: [...args.x], w: [...args.w] });
  };
  const knob = (
    label: string,
    get: () => number,
    set: (v: number) => void,
    min: number,
    max: number,
    name: string,
  ) =>
    slider({
      label,
      min,
      max,
      step: 0.05,
      value: get(),
      name,
      format: (v) => formatNumber(v, 2),
      onInput: (v) => {
        set(v);
        update();
      },
    }).element;

  root.append(
    heading(
      6,
      tr("The sigmoid and the chain rule", "La sigmoide y la regla de la cadena"),
      tr(
        "One neuron: z = w₁x₁ + w₂x₂ + b, ŷ = σ(z) = 1/(1 + e^−z), cost C = ½(ŷ − y)². The forward pass computes each node's value; the backward pass sends ∂C/∂node back along the edges, multiplying local derivatives: ∂C/∂w₁ = (ŷ − y) · σ(z)(1 − σ(z)) · x₁. Every number in the graph comes from deriva's autodiff, not from these formulas.",
        "Una neurona: z = w₁x₁ + w₂x₂ + b, ŷ = σ(z) = 1/(1 + e^−z), costo C = ½(ŷ − y)². La pasada hacia adelante calcula el valor de cada nodo; la pasada hacia atrás envía ∂C/∂nodo por las aristas, multiplicando derivadas locales: ∂C/∂w₁ = (ŷ − y) · σ(z)(1 − σ(z)) · x₁. Cada número del grafo sale de la diferenciación automática de deriva, no de estas fórmulas.",
      ),
      "En su ejemplo, debe usar la derivada de un sigmoide porque esa es la activación que están usando sus neuronas individuales: ∂σ(z)/∂z = σ(z)(1 − σ(z)).",
    ),
    h(
      "div",
      { class: "columns" },
      panel(
        tr("σ and its derivatives", "σ y sus derivadas"),
        s.canvas,
        h(
          "div",
          { class: "legend" },
          ...["σ(z)", "σ′(z) = σ(1 − σ)", "σ″(z)"].map((label, i) =>
            h("span", {}, h("span", { class: "swatch", style: `background:${series[i]}` }), label),
          ),
        ),
      ),
      panel(
        tr("The neuron's inputs", "Las entradas de la neurona"),
        controls(
          knob(
            "x₁",
            () => args.x[0],
            (v) => (args.x[0] = v),
            -3,
            3,
            "x1",
          ),
          knob(
            "x₂",
            () => args.x[1],
            (v) => (args.x[1] = v),
            -3,
            3,
            "x2",
          ),
          knob(
            "w₁",
            () => args.w[0],
            (v) => (args.w[0] = v),
            -3,
            3,
            "w1",
          ),
          knob(
            "w₂",
            () => args.w[1],
            (v) => (args.w[1] = v),
            -3,
            3,
            "w2",
          ),
          knob(
            "b",
            () => args.b,
            (v) => (args.b = v),
            -3,
            3,
            "b",
          ),
          knob(
            tr("target y", "objetivo y"),
            () => args.y,
            (v) => (args.y = v),
            0,
            1,
            "y",
          ),
        ),
        second,
        h("p", {
          class: "note",
          text: tr(
            "The second derivative is the derivative of the gradient: deriva records the backward pass as operations too, so grad(grad(f)) works.",
            "La segunda derivada es la derivada del gradiente: deriva registra también la pasada hacia atrás como operaciones, así que grad(grad(f)) funciona.",
          ),
        }),
      ),
    ),
    panel(
      tr("The computation graph", "El grafo de cómputo"),
      graph,
      h(
        "table",
        { "data-name": "graph" },
        h("caption", {
          class: "note",
          text: tr(
            "Each node: its value (forward) and ∂C/∂node (backward)",
            "Cada nodo: su valor (adelante) y ∂C/∂nodo (atrás)",
          ),
        }),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { class: "text", text: tr("node", "nodo") }),
            h("th", { text: tr("value", "valor") }),
            h("th", { text: "∂C/∂·" }),
          ),
        ),
        table,
      ),
    ),
  );
  onLeave(onResize(root, draw));
  update();
}
