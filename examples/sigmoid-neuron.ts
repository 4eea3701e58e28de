/**
 * The founding document's neuron: one sigmoid unit ŷ = σ(wᵀx + b) trained with the quadratic cost
 * C = 1/(2N) Σ (ŷ − y)² by mini-batch gradient descent, on two classes of points (two Gaussian
 * blobs standing in for the document's cats and dogs).
 *
 * Run it: npx tsx examples/sigmoid-neuron.ts
 *
 * ── The chain rule, complete ─────────────────────────────────────────────────────────────────
 * For example i of a batch of N, let z_i = wᵀx_i + b and ŷ_i = σ(z_i) = 1 / (1 + e^(−z_i)).
 * The cost C = 1/(2N) Σ_i (ŷ_i − y_i)² depends on w only through every z_i, so
 *
 *   ∂C/∂w = Σ_i ∂C/∂ŷ_i · ∂ŷ_i/∂z_i · ∂z_i/∂w
 *
 * with the three links
 *   ∂C/∂ŷ_i  = (ŷ_i − y_i) / N            (the ½ cancels the square's 2)
 *   ∂ŷ_i/∂z_i = σ(z_i)(1 − σ(z_i)) = ŷ_i (1 − ŷ_i)
 *   ∂z_i/∂w   = x_i,  and ∂z_i/∂b = 1
 *
 * which gives
 *   ∂C/∂w = 1/N Σ_i (ŷ_i − y_i) ŷ_i (1 − ŷ_i) x_i
 *   ∂C/∂b = 1/N Σ_i (ŷ_i − y_i) ŷ_i (1 − ŷ_i)
 *
 * The founding document writes ∂C/∂w = ∂C/∂ŷ · ∂ŷ/∂w and then gives for ∂ŷ/∂w only the sigmoid's
 * derivative σ(z)(1 − σ(z)): that is ∂ŷ/∂z. The last link ∂z/∂w = x is dropped, so its formula
 * misses the factor x (each weight's gradient is scaled by its own input), and the 1/N of the
 * average. (It also prints σ(z) = 1/(1 + exp(z)); the logistic function has exp(−z).)
 *
 * deriva's autodiff applies exactly these links; test/examples/sigmoid-neuron.test.ts checks that
 * its gradient equals the closed form above to 1e-12 in float64.
 *
 * The update is the document's gradient step w_new = w_old − η ∂C/∂w (and likewise for b).
 */
import { pathToFileURL } from "node:url";
import { type DType, Generator, loss, noGrad, type Tensor, tensor, valueAndGrad, zeros } from "deriva";

export interface Dataset {
  /** Points, [N, 2]. */
  x: Tensor;
  /** Classes 0 or 1, [N]. */
  y: Tensor;
}

/** `perClass` points around (−1.5, −1) labelled 0 and as many around (1.5, 1) labelled 1, unit spread, seeded. */
export function makeBlobs(perClass: number, seed: number, dtype: DType = "float32"): Dataset {
  const generator = new Generator(seed);
  const centers = [
    [-1.5, -1],
    [1.5, 1],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 2 * perClass; i++) {
    const label = i % 2;
    const [cx, cy] = centers[label]!;
    x.push([cx! + generator.normal(), cy! + generator.normal()]);
    y.push(label);
  }
  return { x: tensor(x, { dtype }), y: tensor(y, { dtype }) };
}

/** ŷ = σ(x w + b) for a batch x [N, 2], weights w [2] and bias b (0-d): [N]. */
export function neuron(w: Tensor, b: Tensor, x: Tensor): Tensor {
  return x.matmul(w).add(b).sigmoid();
}

/** The quadratic cost C = 1/(2N) Σ (ŷ − y)². */
export function cost(w: Tensor, b: Tensor, x: Tensor, y: Tensor): Tensor {
  return loss.quadratic(neuron(w, b, x), y);
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** The learning rate η. */
  lr?: number;
  seed?: number;
  /** Called with the cost over the whole data set before training (epoch 0) and after each epoch. */
  onEpoch?: (epoch: number, cost: number) => void;
}

export interface TrainResult {
  w: Tensor;
  b: Tensor;
  /** The cost over the whole data set before training and after each epoch. */
  costs: number[];
  /** Fraction of points on the right side of ŷ = 0.5 at the end. */
  accuracy: number;
}

/** Mini-batch gradient descent on the blobs: each epoch visits the points in a new seeded order. */
export function train(data: Dataset, opts: TrainOptions = {}): TrainResult {
  const { epochs = 30, batchSize = 16, lr = 2, seed = 0 } = opts;
  const generator = new Generator(seed);
  const n = data.x.shape[0]!;
  let w = zeros([2], { dtype: data.x.dtype });
  let b = zeros([], { dtype: data.x.dtype });
  const costAndGrads = valueAndGrad(cost, { argnums: [0, 1] });
  const fullCost = () => noGrad(() => cost(w, b, data.x, data.y).item());
  const costs = [fullCost()];
  opts.onEpoch?.(0, costs[0]!);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = generator.permutation(n);
    for (let start = 0; start < n; start += batchSize) {
      const rows = Array.from(order.subarray(start, Math.min(start + batchSize, n)));
      const [, grads] = costAndGrads(w, b, data.x.indexSelect(0, rows), data.y.indexSelect(0, rows));
      const [dw, db] = grads;
      // w_new = w_old − η ∂C/∂w, outside the graph
      [w, b] = noGrad(() => [w.sub(dw!.mul(lr)), b.sub(db!.mul(lr))]);
    }
    costs.push(fullCost());
    opts.onEpoch?.(epoch, costs[epoch]!);
  }
  const predictions = noGrad(() => neuron(w, b, data.x).gt(0.5).data());
  const labels = data.y.data();
  let correct = 0;
  for (let i = 0; i < n; i++) if (predictions[i] === labels[i]) correct++;
  return { w, b, costs, accuracy: correct / n };
}

function main(): void {
  const data = makeBlobs(200, 1);
  console.log(
    "A sigmoid neuron ŷ = σ(wᵀx + b), quadratic cost C = 1/(2N) Σ (ŷ − y)², 400 points, batches of 16\n",
  );
  const result = train(data, {
    onEpoch: (epoch, c) => {
      const note = epoch === 0 ? "  (w = 0, b = 0: ŷ = 0.5 everywhere)" : "";
      if (epoch <= 5 || epoch % 5 === 0)
        console.log(`epoch ${String(epoch).padStart(2)}  cost ${c.toFixed(5)}${note}`);
    },
  });
  const [w1, w2] = result.w.data();
  console.log(`w = [${w1!.toFixed(3)}, ${w2!.toFixed(3)}], b = ${result.b.item().toFixed(3)}`);
  console.log(`accuracy ${(100 * result.accuracy).toFixed(1)} %`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
