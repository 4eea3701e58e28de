/**
 * The training panel of the two image chapters (digits, cats vs dogs): model, epochs, how many
 * training images, train/stop, a progress bar and the per-epoch table; the training itself runs
 * in the worker (train.fit, one epoch at a time).
 */
import { getEngine, reportSpeed, type Task } from "../engine";
import { formatNumber, tr } from "../i18n";
import { button, controls, h, select, slider } from "../ui/dom";
import type { ImageModel, ImageSetName, TrainImagesResult, TrainProgress } from "../worker/protocol";
import type { ChapterContext } from "./context";
import { panel } from "./shell";

export interface TrainingPanel {
  element: HTMLElement;
  /** Whether a model has been trained or loaded in this visit. */
  ready(): boolean;
  /** Marks a model loaded from files as the current one. */
  markReady(): void;
}

export function trainingPanel(
  context: ChapterContext,
  opts: {
    set: ImageSetName;
    defaults: {
      model: ImageModel;
      epochs: number;
      images: number;
      maxImages: number;
      testImages: number;
      lr: number;
    };
    mistakes: number;
    onResult: (result: TrainImagesResult) => void;
  },
): TrainingPanel {
  const { state, onLeave, alive } = context;
  let model = state.choice<ImageModel>("model", ["mlp", "cnn", "convnet"], opts.defaults.model);
  let epochs = state.number("epochs", opts.defaults.epochs);
  let images = state.number("images", opts.defaults.images);
  let task: Task<TrainImagesResult> | null = null;
  let hasModel = false;

  const progress = h("progress", {
    max: 1,
    value: 0,
    "aria-label": tr("training progress", "progreso del entrenamiento"),
  });
  const status = h("p", { class: "note", "data-name": "train-status", role: "status" });
  const epochsTable = h("tbody");
  const save = () => state.set({ model, epochs, images });

  const trainButton = button(tr("Train", "Entrenar"), () => (task === null ? start() : task.stop()), {
    class: "primary",
    "data-name": "train",
  });

  function start(): void {
    save();
    epochsTable.replaceChildren();
    progress.value = 0;
    status.textContent = tr("loading the images…", "cargando las imágenes…");
    trainButton.textContent = tr("Stop", "Detener");
    task = getEngine().start(
      "imagesTrain",
      {
        set: opts.set,
        model,
        epochs,
        trainImages: images,
        testImages: opts.defaults.testImages,
        lr: opts.defaults.lr,
        seed: 0,
        mistakes: opts.mistakes,
      },
      (event: TrainProgress) => {
        if (!alive()) return;
        progress.value = (event.epoch - 1 + event.batch / event.batches) / event.epochs;
        status.textContent = tr(
          `epoch ${event.epoch} of ${event.epochs}, batch ${event.batch} of ${event.batches}, loss ${formatNumber(event.loss, 4)}`,
          `época ${event.epoch} de ${event.epochs}, lote ${event.batch} de ${event.batches}, pérdida ${formatNumber(event.loss, 4)}`,
        );
        reportSpeed(event.stepsPerSecond);
      },
    );
    task.result
      .then((result) => {
        if (!alive()) return;
        hasModel = true;
        progress.value = 1;
        epochsTable.replaceChildren(
          ...result.epochs.map((e) =>
            h(
              "tr",
              {},
              h("td", { text: String(e.epoch) }),
              h("td", { text: formatNumber(e.loss, 4) }),
              h("td", { text: e.accuracy === null ? "" : `${formatNumber(e.accuracy * 100, 1)} %` }),
              h("td", { text: `${formatNumber(e.seconds, 1)} s` }),
            ),
          ),
        );
        status.textContent =
          (result.stopped ? tr("stopped early. ", "detenido antes de tiempo. ") : "") +
          tr(
            `test accuracy ${formatNumber(result.testAccuracy * 100, 1)} % (${opts.defaults.testImages} held-out images), test loss ${formatNumber(result.testLoss, 4)}`,
            `exactitud de prueba ${formatNumber(result.testAccuracy * 100, 1)} % (${opts.defaults.testImages} imágenes reservadas), pérdida de prueba ${formatNumber(result.testLoss, 4)}`,
          );
        status.dataset.accuracy = String(result.testAccuracy);
        opts.onResult(result);
      })
      .catch((error: Error) => {
        if (alive()) status.textContent = error.message;
      })
      .finally(() => {
        task = null;
        if (alive()) trainButton.textContent = tr("Train", "Entrenar");
      });
  }
  onLeave(() => task?.stop());

  const element = panel(
    tr("Training", "Entrenamiento"),
    controls(
      select({
        label: tr("model", "modelo"),
        options: [
          { value: "mlp", text: tr("MLP (one hidden layer of 128)", "MLP (una capa oculta de 128)") },
          { value: "cnn", text: tr("CNN (two convolution blocks)", "CNN (dos bloques de convolución)") },
          {
            value: "convnet",
            text: tr(
              "convnet (three blocks with batch norm and dropout, the command line's for photos)",
              "convnet (tres bloques con normalización por lotes y dropout, la de la línea de comandos para fotos)",
            ),
          },
        ] as { value: ImageModel; text: string }[],
        value: model,
        name: "model",
        onChange: (v) => {
          model = v;
          save();
        },
      }).element,
      slider({
        label: tr("epochs", "épocas"),
        min: 1,
        max: 20,
        step: 1,
        value: epochs,
        name: "epochs",
        onInput: (v) => {
          epochs = v;
          save();
        },
      }).element,
      slider({
        label: tr("training images", "imágenes de entrenamiento"),
        min: 100,
        max: opts.defaults.maxImages,
        step: 100,
        value: images,
        name: "images",
        format: (v) => formatNumber(v, 0),
        onInput: (v) => {
          images = v;
          save();
        },
      }).element,
      trainButton,
    ),
    progress,
    status,
    h(
      "table",
      { "data-name": "epochs" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { text: tr("epoch", "época") }),
          h("th", { text: tr("loss", "pérdida") }),
          h("th", { text: tr("test accuracy", "exactitud de prueba") }),
          h("th", { text: tr("time", "tiempo") }),
        ),
      ),
      epochsTable,
    ),
  );
  return { element, ready: () => hasModel, markReady: () => (hasModel = true) };
}

/** Ten (or two) probability bars, the largest highlighted. */
export function probabilityBars(classes: string[], probabilities: number[]): HTMLElement {
  const best = probabilities.indexOf(Math.max(...probabilities));
  return h(
    "div",
    { class: "bars", "data-name": "probabilities" },
    ...classes.flatMap((name, i) => {
      const p = probabilities[i] ?? 0;
      const top = i === best ? "top" : undefined;
      return [
        h("span", { class: top, text: name }),
        h(
          "div",
          { class: `bar-track ${top ?? ""}` },
          h("div", { class: "bar-fill", style: `width:${(p * 100).toFixed(1)}%` }),
        ),
        h("span", { class: top, text: `${formatNumber(p * 100, 1)} %` }),
      ];
    }),
  );
}
