/**
 * Training progress on the terminal: a bar per epoch that fills batch by batch (cli-progress) and
 * a line per epoch with its losses and accuracies; plain epoch lines only when the output is not a
 * terminal (a log file, a pipe, CI).
 */
import cliProgress from "cli-progress";
import type { train } from "deriva";
import { printable } from "./printable.js";
import { percent } from "./report.js";

/** The callbacks that show training progress on `out`. */
export function progressCallbacks(out: NodeJS.WriteStream): train.Callbacks {
  const interactive = out.isTTY === true;
  let last = 0;
  let bar: cliProgress.SingleBar | null = null;
  return {
    onTrainBegin(info) {
      last = info.initialEpoch + info.epochs;
    },
    onEpochBegin(epoch) {
      if (!interactive) return;
      bar = new cliProgress.SingleBar(
        {
          stream: out,
          format: `epoch ${epochText(epoch, last)} {bar} {value}/{total} batches  loss {loss}  {duration}s`,
          barsize: 30,
          clearOnComplete: true,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(1, 0, { loss: "…" });
    },
    onBatchEnd(log) {
      if (bar === null) return;
      if (log.batch === 1) bar.setTotal(log.batches);
      bar.update(log.batch, { loss: log.meanLoss.toFixed(4) });
    },
    onEpochEnd(log) {
      bar?.stop();
      bar = null;
      out.write(`${epochLine(log, last)}\n`);
    },
    onTrainEnd() {
      bar?.stop();
      bar = null;
    },
  };
}

/** One epoch's figures: `epoch  3/15  loss 0.2134  acc 93.61%  val_loss 0.1912  val_acc 94.25%  1.2s`. */
export function epochLine(log: train.EpochLog, last: number): string {
  const parts = [`epoch ${epochText(log.epoch, last)}`, `loss ${log.loss.toFixed(4)}`];
  if (log.accuracy !== undefined) parts.push(`acc ${percent(log.accuracy)}`);
  if (log.valLoss !== undefined) parts.push(`val_loss ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val_acc ${percent(log.valAccuracy)}`);
  parts.push(`${log.seconds.toFixed(1)}s`);
  return parts.join("  ");
}

function epochText(epoch: number, last: number): string {
  return `${String(epoch).padStart(String(last).length)}/${last}`;
}

/**
 * A line that shows how far a large file has been read, on a terminal only (`reading big.csv:
 * 45% (450,000 rows)`), rewritten in place and cleared when done.
 */
export function readingProgress(
  path: string,
  out: NodeJS.WriteStream,
): { update: (p: { bytes: number; totalBytes: number; rows: number }) => void; done: () => void } {
  if (out.isTTY !== true) return { update: () => undefined, done: () => undefined };
  let shown = false;
  return {
    update({ bytes, totalBytes, rows }) {
      const share = totalBytes > 0 ? Math.min(100, Math.floor((100 * bytes) / totalBytes)) : 0;
      out.write(`\rreading ${printable(path)}: ${share}% (${rows.toLocaleString("en-US")} rows)\u001b[K`);
      shown = true;
    },
    done() {
      if (shown) out.write("\r\u001b[K");
    },
  };
}
