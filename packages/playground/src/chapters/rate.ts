/**
 * Chapter 5, choosing the rate: the same small network trained from the same start at a rate
 * too small, one about right and one too large, as overlaid cost curves; and the learning-rate
 * range test (optim.findLr) with the rate it suggests.
 */
import { getEngine } from "../engine";
import { formatNumber, tr } from "../i18n";
import { latestOnly } from "../ui/coalesce";
import { liveChart } from "../ui/curves";
import { button, controls, h, slider } from "../ui/dom";
import type { RateCurves } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { heading, panel } from "./shell";

const STEPS = 100;

export function mount({ root, state, onLeave }: ChapterContext): void {
  const rates = state.numbers("rates", [0.001, 0.03, 1]).slice(0, 3);
  while (rates.length < 3) rates.push([0.001, 0.03, 1][rates.length]!);
  let result: RateCurves | null = null;

  const names = [
    tr("too small", "demasiado pequeña"),
    tr("about right", "adecuada"),
    tr("too large", "demasiado grande"),
  ];
  const costs = liveChart({
    label: tr("Cost per step at the three rates", "Costo por paso con las tres tasas"),
    xLabel: tr("step", "paso"),
    series: names,
    logY: true,
  });
  const finder = liveChart({
    label: tr(
      "The range test: smoothed cost against the rate",
      "La prueba de rango: costo suavizado frente a la tasa",
    ),
    xLabel: tr("rate ν", "tasa ν"),
    series: [tr("smoothed cost", "costo suavizado"), tr("suggestion", "sugerencia")],
    logX: true,
    logY: true,
  });
  const summary = h("p", { "data-name": "summary", role: "status" });
  const suggestion = h("p", { class: "big", "data-name": "suggestion" });

  const run = latestOnly(
    (args: { rates: number[]; steps: number; seed: number }) => getEngine().call("rates", args),
    (answer) => {
      result = answer;
      render();
    },
  );

  function render(): void {
    if (result === null) return;
    const xs = Array.from({ length: STEPS }, (_, i) => i);
    costs.set(
      xs,
      result.curves.map((c) =>
        xs.map((i) => (i < c.losses.length && Number.isFinite(c.losses[i]!) ? c.losses[i]! : null)),
      ),
    );
    const { lrs, losses, suggestion: best } = result.finder;
    const nearest = lrs.reduce(
      (k, lr, i) => (Math.abs(Math.log(lr / best)) < Math.abs(Math.log(lrs[k]! / best)) ? i : k),
      0,
    );
    finder.set(lrs, [losses, losses.map((l, i) => (i === nearest ? l : null))]);
    suggestion.textContent = tr(
      `findLr suggests ν ≈ ${formatNumber(best, 4)}`,
      `findLr sugiere ν ≈ ${formatNumber(best, 4)}`,
    );
    summary.textContent = result.curves
      .map((c, i) => {
        const last = c.losses.at(-1)!;
        const blew = c.losses.length < STEPS || !Number.isFinite(last);
        return `${names[i]} (ν = ${c.lr}): ${blew ? tr("diverged", "divergió") : tr(`cost ${formatNumber(last, 4)} after ${STEPS} steps`, `costo ${formatNumber(last, 4)} tras ${STEPS} pasos`)}`;
      })
      .join(" · ");
    costs.fit();
    finder.fit();
  }

  const update = () => {
    state.set({ rates });
    run({ rates: [...rates], steps: STEPS, seed: 1 });
  };
  const sliders = rates.map((value, i) =>
    slider({
      label: `${names[i]} ν`,
      min: -4,
      max: 0.5,
      step: 0.05,
      value: Math.log10(value),
      name: `rate-${i}`,
      format: (v) => formatNumber(10 ** v, 4),
      onInput: (v) => {
        rates[i] = Number((10 ** v).toPrecision(3));
        update();
      },
    }),
  );

  root.append(
    heading(
      5,
      tr("Choosing the rate", "Elegir la tasa"),
      tr(
        "One small network (2 → 4 → 1) learns a plane by full-batch gradient descent, three times from the same start: at a rate too small it crawls, at a good one it drops fast, at one too large the cost explodes. The range test (Smith 2017, fastai's lr_find) trains briefly while the rate grows exponentially and suggests where the cost falls fastest.",
        "Una red pequeña (2 → 4 → 1) aprende un plano por descenso de gradiente con todos los datos, tres veces desde el mismo inicio: con una tasa demasiado pequeña avanza a paso de tortuga, con una buena baja rápido, con una demasiado grande el costo explota. La prueba de rango (Smith 2017, lr_find de fastai) entrena un momento mientras la tasa crece exponencialmente y sugiere dónde el costo baja más rápido.",
      ),
      "Sin embargo, hay una forma inteligente de elegir esto. Demasiado grande y nunca alcanzaremos nuestro valor mínimo, y demasiado pequeño desperdiciaremos mucho tiempo antes de llegar allí.",
    ),
    panel(
      tr("Three rates", "Tres tasas"),
      controls(...sliders.map((s) => s.element)),
      costs.element,
      summary,
    ),
    panel(
      tr("The learning-rate range test", "La prueba de rango de la tasa"),
      finder.element,
      suggestion,
      controls(
        button(
          tr("Use the suggestion as the middle rate", "Usar la sugerencia como tasa del medio"),
          () => {
            if (result === null) return;
            rates[1] = Number(result.finder.suggestion.toPrecision(3));
            sliders[1]!.set(Math.log10(rates[1]));
            update();
          },
          { "data-name": "use-suggestion" },
        ),
      ),
    ),
  );
  const fit = () => {
    costs.fit();
    finder.fit();
  };
  const observer = new ResizeObserver(fit);
  observer.observe(root);
  onLeave(() => {
    observer.disconnect();
    costs.destroy();
    finder.destroy();
  });
  update();
}
