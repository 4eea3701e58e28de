/**
 * Chapter 9, digits: an MLP or a CNN trained on MNIST in the worker, with a progress bar; then
 * a pad to draw a digit on, and the ten probabilities moving as you draw.
 */
import { getEngine } from "../engine";
import { tr } from "../i18n";
import { latestOnly } from "../ui/coalesce";
import { digitPad } from "../ui/digit-pad";
import { button, controls, h } from "../ui/dom";
import type { Prediction } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { probabilityBars, trainingPanel } from "./image-training";
import { heading, panel } from "./shell";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Strokes of a few digits (0…1 coordinates), for keyboard users and quick tries. */
const SAMPLES: Record<string, [number, number][][]> = {
  "0": [
    [
      [0.5, 0.2],
      [0.35, 0.28],
      [0.3, 0.5],
      [0.35, 0.72],
      [0.5, 0.8],
      [0.65, 0.72],
      [0.7, 0.5],
      [0.65, 0.28],
      [0.5, 0.2],
    ],
  ],
  "1": [
    [
      [0.52, 0.18],
      [0.5, 0.5],
      [0.49, 0.82],
    ],
  ],
  "7": [
    [
      [0.3, 0.22],
      [0.7, 0.22],
      [0.45, 0.82],
    ],
  ],
};

export function mount(context: ChapterContext): void {
  const { root } = context;
  const result = h("div", { "aria-live": "polite" });
  const verdict = h("p", { class: "big", "data-name": "digit" });

  const show = (prediction: Prediction) => {
    verdict.textContent = tr(
      `It looks like a ${DIGITS[prediction.predicted]}`,
      `Parece un ${DIGITS[prediction.predicted]}`,
    );
    verdict.dataset.predicted = String(prediction.predicted);
    result.replaceChildren(probabilityBars(prediction.classes, prediction.probabilities));
  };
  const classify = latestOnly(
    (rgba: Uint8ClampedArray) =>
      getEngine().call("imagesPredict", { set: "mnist", rgba, width: 28, height: 28, fit: "stretch" }, [
        rgba.buffer,
      ]),
    show,
    (error) => {
      verdict.textContent = error.message;
    },
  );
  const training = trainingPanel(context, {
    set: "mnist",
    defaults: { model: "mlp", epochs: 3, images: 8000, maxImages: 8000, testImages: 2000, lr: 0.001 },
    mistakes: 0,
    onResult: () => onDraw(),
  });
  function onDraw(): void {
    const rgba = pad.toMnist();
    if (rgba === null) {
      verdict.textContent = tr("Draw a digit.", "Dibuja un dígito.");
      result.replaceChildren();
      return;
    }
    if (!training.ready()) {
      verdict.textContent = tr(
        "Train a model first (a few seconds), then draw.",
        "Primero entrena un modelo (unos segundos) y luego dibuja.",
      );
      return;
    }
    classify(rgba);
  }
  const pad = digitPad(
    tr(
      "Drawing pad: draw a digit with the mouse, a finger or a pen",
      "Pizarra: dibuja un dígito con el ratón, el dedo o un lápiz",
    ),
    onDraw,
  );

  root.append(
    heading(
      9,
      tr("Digits", "Dígitos"),
      tr(
        "The same ideas at scale: 784 inputs (28 × 28 pixels), ten outputs, thousands of weights, trained on real handwritten digits (MNIST, 8,000 to train on and 2,000 held out) by mini-batch gradient descent (Adam) in this page's worker. Then draw a digit: the network reads it as you draw.",
        "Las mismas ideas a escala: 784 entradas (28 × 28 píxeles), diez salidas, miles de pesos, entrenados con dígitos manuscritos reales (MNIST, 8.000 para entrenar y 2.000 reservados) por descenso de gradiente en mini-lotes (Adam) en el worker de esta página. Luego dibuja un dígito: la red lo lee mientras dibujas.",
      ),
    ),
    training.element,
    h(
      "div",
      { class: "columns" },
      panel(
        tr("Draw a digit", "Dibuja un dígito"),
        pad.element,
        controls(
          button(tr("Clear", "Borrar"), () => pad.clear(), { "data-name": "clear" }),
          ...Object.keys(SAMPLES).map((digit) =>
            button(
              tr(`Draw a ${digit}`, `Dibujar un ${digit}`),
              () => {
                pad.clear();
                pad.drawStrokes(SAMPLES[digit]!);
              },
              { "data-name": `sample-${digit}` },
            ),
          ),
        ),
      ),
      panel(tr("What the network sees", "Lo que ve la red"), verdict, result),
    ),
  );
}
