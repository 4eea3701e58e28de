/**
 * Play / pause / step for a model the worker trains in short calls: while playing, each call
 * trains for about one frame's time and the page draws its result, so the page stays responsive.
 */
import { reportSpeed } from "../engine";
import { tr } from "../i18n";
import { onResize } from "./canvas";
import type { LiveChart } from "./curves";
import { button } from "./dom";

export interface TrainingLoop {
  playButton: HTMLButtonElement;
  stepButton: HTMLButtonElement;
  playing(): boolean;
  pause(): void;
}

export function trainingLoop<T extends { stepsPerSecond: number }>(opts: {
  /** One call: `steps` at most, for about `ms`. */
  train: (steps: number, ms: number) => Promise<T>;
  show: (snapshot: T) => void;
  alive: () => boolean;
  onError: (error: Error) => void;
}): TrainingLoop {
  let playing = false;
  let busy = false;
  const playButton = button(tr("Play", "Reproducir"), () => (playing ? pause() : play()), {
    "data-name": "play",
    "aria-pressed": "false",
    class: "primary",
  });
  const stepButton = button(tr("Step", "Paso"), () => void once(1, 0), { "data-name": "step" });

  async function once(steps: number, ms: number): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      const snapshot = await opts.train(steps, ms);
      if (!opts.alive()) return;
      opts.show(snapshot);
      if (ms > 0) reportSpeed(snapshot.stepsPerSecond);
    } catch (error) {
      pause();
      opts.onError(error as Error);
    } finally {
      busy = false;
    }
  }

  function frame(): void {
    if (!playing || !opts.alive()) return;
    void once(100_000, 30).then(() => requestAnimationFrame(frame));
  }

  function play(): void {
    playing = true;
    playButton.textContent = tr("Pause", "Pausa");
    playButton.setAttribute("aria-pressed", "true");
    stepButton.disabled = true;
    requestAnimationFrame(frame);
  }

  function pause(): void {
    playing = false;
    playButton.textContent = tr("Play", "Reproducir");
    playButton.setAttribute("aria-pressed", "false");
    stepButton.disabled = false;
  }

  return { playButton, stepButton, playing: () => playing, pause };
}

/**
 * Ties a training chapter's chart and loop to the page while the chapter is shown: the chart
 * refits and redraws when the chapter is resized, and leaving the chapter pauses the loop and
 * removes the chart.
 */
export function whileShown(
  root: HTMLElement,
  onLeave: (cleanup: () => void) => void,
  parts: { chart: LiveChart; loop: TrainingLoop; draw: () => void },
): void {
  onLeave(
    onResize(root, () => {
      parts.chart.fit();
      parts.draw();
    }),
  );
  onLeave(() => {
    parts.loop.pause();
    parts.chart.destroy();
  });
}
