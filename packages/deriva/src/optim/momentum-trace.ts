/** Momentum as a gradient transform (torch.optim.SGD's formula, names of state buffers too). */
import { stateBuffer, type Transform } from "./gradient-transform.js";

/** The options the momentum trace reads (torch.optim.SGD's names). */
export interface MomentumTraceOptions {
  /** The momentum coefficient (0: the transform does nothing). */
  momentum: number;
  /** Dampening of the gradient's share in the buffer (default 0). */
  dampening?: number;
  /** Nesterov's form, u + momentum·buf, instead of buf (default false). */
  nesterov?: boolean;
}

/**
 * Momentum (torch.optim.SGD): buf ← momentum·buf + (1 − dampening)·u, with buf = u on the first
 * step; then u ← buf, or u ← u + momentum·buf with Nesterov. Nothing happens while momentum is 0.
 */
export const trace: Transform<MomentumTraceOptions> = {
  update(u, slot, { momentum, dampening = 0, nesterov = false }) {
    if (momentum === 0) return;
    const fresh = !slot.state.has("momentum_buffer");
    const buf = stateBuffer(slot, "momentum_buffer");
    const keep = fresh ? 0 : momentum;
    const take = fresh ? 1 : 1 - dampening;
    for (let i = 0; i < u.length; i++) {
      const b = keep * buf[i]! + take * u[i]!;
      buf[i] = b;
      u[i] = nesterov ? u[i]! + momentum * b : b;
    }
  },
};
