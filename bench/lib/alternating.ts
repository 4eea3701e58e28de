/**
 * The targets of issue 13 (W2, W3) and issue 10 (W6) measured in alternating rounds. On a shared
 * host the load moves from one minute to the next, and each peer's table row is timed once,
 * minutes away from the others: with the same code, PyTorch's W2 on 1 thread read 121k samples/s
 * in one run and 95k in another, deriva's W3 step on 2 threads 7.9 ms and 14.2 ms. Here each
 * contender (deriva on its most threads, through each API, and PyTorch on 1 thread) times a short
 * stretch in turn, round after round, the order reversed every other round, so that the stretches
 * compared sit seconds apart; each round gives deriva's ratio to PyTorch, and a target's verdict
 * takes the median of the rounds' ratios. The rounds compare steady states: every contender first
 * times WARMUP_STRETCHES stretches that do not count. deriva's step gets faster over its first
 * several hundred steps while V8 optimizes the JavaScript around the kernels (in W2 on 1 thread,
 * 183, 66, 26, 28, 14 and 10 functions optimized during epochs 0–5; 53 → 87k samples/s from the
 * first epoch to the eighth); WORKLOADS.md's tables, which time W2's epochs 1–3, see it mid-way.
 */
import { CheckFailed } from "./check.js";
import { activate, type DerivaPeer, peerLabel, peerName } from "./peers.js";
import { summarize } from "./stats.js";

/** Stretches each contender times before the rounds (W2: 5 epochs, 625 steps). */
export const WARMUP_STRETCHES = 5;

/** One contender of a workload: `measure` times a stretch and returns its figure in the workload's unit. */
export interface Stretch {
  /** "deriva wasm nn", "deriva wasm functional", "pytorch" (the table rows' names). */
  readonly peer: string;
  readonly threads: number;
  readonly measure: () => Promise<number>;
}

export interface AlternatingWorkload {
  /** "W2", "W3", "W6". */
  readonly name: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** What one stretch times: "one epoch", "10 steps". */
  readonly stretch: string;
  readonly deriva: readonly Stretch[];
  readonly torch: Stretch;
}

/** One deriva contender against PyTorch over the rounds. */
export interface AlternatingResult {
  readonly workload: string;
  readonly unit: string;
  readonly stretch: string;
  readonly peer: string;
  readonly threads: number;
  /** Each round's figures, deriva's and PyTorch's. */
  readonly deriva: readonly number[];
  readonly torch: readonly number[];
  /** Each round's speed ratio, deriva ÷ PyTorch (> 1: deriva faster), and their median. */
  readonly ratios: readonly number[];
  readonly medianRatio: number;
}

/** What one of deriva's stretches gives: its figure, and the losses of the steps it timed (checked finite). */
export interface Timed {
  readonly figure: number;
  readonly losses: readonly number[];
}

/** What a stretch of timed steps gives (W3, W6): the median of its steps' times in ms. */
export function medianStep({
  losses,
  times,
}: {
  losses: readonly number[];
  times: readonly number[];
}): Timed {
  return { figure: summarize(times).median, losses };
}

/** A workload whose stretches are `steps` training steps, in ms a step (lower is better), against PyTorch at `threads`. */
export function stepWorkload(
  name: string,
  steps: number,
  deriva: readonly Stretch[],
  torch: { readonly threads: number; readonly measure: () => Promise<number> },
): AlternatingWorkload {
  return {
    name,
    unit: "ms/step",
    higherIsBetter: false,
    stretch: `${steps} steps`,
    deriva,
    torch: { peer: "pytorch", ...torch },
  };
}

/**
 * A stretch for each deriva peer: `prepare` makes its trainer (with the peer active) and returns
 * what times one stretch; each stretch makes its peer active again first (backend, threads) and
 * fails the run if a loss it saw is not finite, as the workloads' own checks do.
 */
export async function derivaStretches(
  peers: readonly DerivaPeer[],
  prepare: (peer: DerivaPeer) => Promise<() => Promise<Timed> | Timed>,
): Promise<Stretch[]> {
  const stretches: Stretch[] = [];
  for (const peer of peers) {
    await activate(peer);
    const time = await prepare(peer);
    const measure = async () => {
      await activate(peer);
      const { figure, losses } = await time();
      if (!losses.every(Number.isFinite))
        throw new CheckFailed(`${peerLabel(peer)}: a loss is not finite (${losses.join(", ")})`);
      return figure;
    };
    stretches.push({ peer: peerName(peer), threads: peer.threads, measure });
  }
  return stretches;
}

/** Runs `rounds` rounds of every workload's contenders in turn (after WARMUP_STRETCHES each). */
export async function runAlternating(
  workloads: readonly AlternatingWorkload[],
  rounds: number,
): Promise<AlternatingResult[]> {
  const results: AlternatingResult[] = [];
  for (const w of workloads) {
    const contenders = [...w.deriva, w.torch];
    for (const c of contenders) for (let i = 0; i < WARMUP_STRETCHES; i++) await c.measure();
    const figures = contenders.map((): number[] => []);
    for (let round = 0; round < rounds; round++) {
      const order = contenders.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) figures[i]!.push(await contenders[i]!.measure());
    }
    const torch = figures.at(-1)!;
    w.deriva.forEach((d, i) => {
      const mine = figures[i]!;
      const ratios = mine.map((v, r) => (w.higherIsBetter ? v / torch[r]! : torch[r]! / v));
      results.push({
        workload: w.name,
        unit: w.unit,
        stretch: w.stretch,
        peer: d.peer,
        threads: d.threads,
        deriva: mine,
        torch,
        ratios,
        medianRatio: summarize(ratios).median,
      });
    });
  }
  return results;
}

/** One line per result: the rounds' ratios, the medians of both figures, and the target's verdict. */
export function describeAlternating(r: AlternatingResult): string {
  const api = r.peer.slice("deriva wasm ".length);
  const median = (values: readonly number[]) => {
    const m = summarize(values).median;
    return m >= 1000 ? Math.round(m).toLocaleString("en-US") : m.toFixed(1);
  };
  return `${r.workload}, ${api} API, ${r.deriva.length} alternating rounds of ${r.stretch}: deriva on ${r.threads} threads ${median(r.deriva)} ${r.unit} vs PyTorch on 1 thread ${median(r.torch)} (medians); rounds ${r.ratios.map((x) => x.toFixed(2)).join(", ")}; median ${r.medianRatio.toFixed(2)}× (target ≥ 1: ${r.medianRatio >= 1 ? "met" : "not met"})`;
}
