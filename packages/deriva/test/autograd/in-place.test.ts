/**
 * Tensors written in place after the forward pass used them (an optimizer step, loadStateDict):
 * backward() refuses to compute at the new values, naming the tensor, as PyTorch's version counter does.
 */
import { describe, expect, it } from "vitest";
import { loss, nn, optim, type Tensor, tensor } from "../../src/index.js";

/** The message of the Error fn throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  return expect.fail("expected an Error");
}

describe("in-place writes between the forward pass and backward()", () => {
  it("an optimizer step makes backward() throw instead of computing at the updated values", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum(); // ∂y/∂x = 2x = [2, 4] at the point of the forward pass
    x.grad = tensor([1, 2]);
    new optim.SGD([x], { lr: 2 }).step(); // x becomes [-1, -2]
    const message = messageOf(() => y.backward());
    expect(message).toContain("backward:");
    expect(message).toContain("float32 tensor of shape [2]");
    expect(message).toContain("modified in place");
    expect(message).not.toContain("\n");
    expect(x.grad.toArray()).toEqual([1, 2]); // nothing accumulated
  });

  it("names a module parameter by its dotted name", () => {
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU(), new nn.Linear(2, 1));
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.1 });
    const out = model.forward(tensor([[1, 2, 3]])).sum();
    for (const p of model.parameters()) p.grad = p.mul(0).add(1);
    optimizer.step();
    expect(messageOf(() => out.backward())).toMatch(/'2\.(weight|bias)' \(float32 \[1(, 2)?\]\)/);
  });

  it("loadStateDict between the forward pass and backward() is caught too", () => {
    const model = new nn.Linear(2, 1);
    const state = model.stateDict();
    const out = loss.mse(model.forward(tensor([[1, 2]])), tensor([[0]]));
    model.loadStateDict(state);
    expect(messageOf(() => out.backward())).toMatch(/'(weight|bias)'/);
  });

  it("the usual loop (forward, backward, step) and a fresh forward after a step are unaffected", () => {
    const w = tensor([0.5, -0.5], { requiresGrad: true });
    const optimizer = new optim.SGD([w], { lr: 0.1 });
    const f = (): Tensor => w.mul(w).sum();
    for (let step = 0; step < 3; step++) {
      optimizer.zeroGrad();
      f().backward();
      optimizer.step();
    }
    const y = f(); // recorded after the last step
    optimizer.zeroGrad();
    y.backward();
    expect(w.grad!.toArray()).toEqual(w.mul(2).toArray());
  });

  it("a tensor written in place before the forward pass used it is fine", () => {
    const x = tensor([3], { requiresGrad: true });
    x.grad = tensor([1]);
    new optim.SGD([x], { lr: 1 }).step(); // x = 2
    const y = x.mul(x).sum();
    x.grad = null;
    y.backward();
    expect(x.grad!.toArray()).toEqual([4]);
  });
});
