/**
 * Raw canvas drawing: sharp on high-density screens, resized with its container, with a small
 * plotting frame (linear axes with ticks, lines, points) for the charts drawn every frame.
 */
import { h } from "./dom";

/** The colours of the charts. */
export const colors = {
  ink: "#1d2433",
  muted: "#6b7385",
  grid: "#e3e6ee",
  accent: "#d9480f",
  blue: "#1c7ed6",
  orange: "#f08c00",
  green: "#2b8a3e",
  violet: "#7048e8",
  red: "#c92a2a",
};

/** A palette for several series. */
export const series = [
  colors.blue,
  colors.accent,
  colors.green,
  colors.violet,
  colors.orange,
  colors.red,
  "#0b7285",
];

export interface Surface {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
  /** CSS pixels. */
  width: number;
  height: number;
  /** Sets the size to the container's width (keeping the aspect) and the device's pixel density. */
  fit(): void;
}

/** A canvas described for screen readers by `label`, sized to its container's width at `aspect` (height/width). */
export function surface(label: string, aspect: number, maxWidth = 720): Surface {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const context = canvas.getContext("2d")!;
  const s: Surface = {
    canvas,
    context,
    width: 0,
    height: 0,
    fit() {
      const parent = canvas.parentElement;
      const padding = parent ? Number.parseFloat(getComputedStyle(parent).paddingLeft) * 2 : 0;
      const width = Math.max(200, Math.min(maxWidth, (parent?.clientWidth ?? maxWidth) - padding));
      const height = Math.round(width * aspect);
      const ratio = window.devicePixelRatio || 1;
      if (s.width === width && s.height === height && canvas.width === Math.round(width * ratio)) return;
      s.width = width;
      s.height = height;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
    },
  };
  return s;
}

/** A linear map between data coordinates and the canvas, inside margins. */
export class Frame {
  readonly left = 44;
  readonly right = 12;
  readonly top = 12;
  readonly bottom = 28;

  constructor(
    readonly s: Surface,
    public x0: number,
    public x1: number,
    public y0: number,
    public y1: number,
  ) {}

  px(x: number): number {
    return this.left + ((x - this.x0) / (this.x1 - this.x0)) * (this.s.width - this.left - this.right);
  }

  py(y: number): number {
    return this.top + ((this.y1 - y) / (this.y1 - this.y0)) * (this.s.height - this.top - this.bottom);
  }

  /** Data coordinates of a canvas point (CSS pixels). */
  invert(px: number, py: number): [number, number] {
    const x = this.x0 + ((px - this.left) / (this.s.width - this.left - this.right)) * (this.x1 - this.x0);
    const y = this.y1 - ((py - this.top) / (this.s.height - this.top - this.bottom)) * (this.y1 - this.y0);
    return [x, y];
  }

  /** Clears the canvas and draws the axes with ticks and labels. */
  axes(xLabel = "", yLabel = ""): void {
    const c = this.s.context;
    c.clearRect(0, 0, this.s.width, this.s.height);
    c.font = "11px system-ui, sans-serif";
    c.lineWidth = 1;
    for (const x of ticks(this.x0, this.x1)) {
      c.strokeStyle = colors.grid;
      line(c, this.px(x), this.top, this.px(x), this.s.height - this.bottom);
      c.fillStyle = colors.muted;
      c.textAlign = "center";
      c.fillText(tickText(x), this.px(x), this.s.height - this.bottom + 14);
    }
    for (const y of ticks(this.y0, this.y1)) {
      c.strokeStyle = colors.grid;
      line(c, this.left, this.py(y), this.s.width - this.right, this.py(y));
      c.fillStyle = colors.muted;
      c.textAlign = "right";
      c.fillText(tickText(y), this.left - 4, this.py(y) + 4);
    }
    c.fillStyle = colors.muted;
    c.textAlign = "right";
    if (xLabel) c.fillText(xLabel, this.s.width - this.right, this.s.height - 2);
    c.textAlign = "left";
    if (yLabel) c.fillText(yLabel, this.left + 4, this.top + 10);
  }

  /** A polyline through the points (gaps where a value is not finite), clipped to the frame. */
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, width = 2): void {
    const c = this.s.context;
    c.save();
    c.beginPath();
    c.rect(
      this.left,
      this.top,
      this.s.width - this.left - this.right,
      this.s.height - this.top - this.bottom,
    );
    c.clip();
    c.strokeStyle = color;
    c.lineWidth = width;
    c.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const [x, y] = [xs[i]!, ys[i]!];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const [px, py] = [this.px(x), Math.max(-1e4, Math.min(1e4, this.py(y)))];
      if (pen) c.lineTo(px, py);
      else c.moveTo(px, py);
      pen = true;
    }
    c.stroke();
    c.restore();
  }

  /** A filled dot. */
  dot(x: number, y: number, color: string, radius = 5): void {
    const c = this.s.context;
    c.fillStyle = color;
    c.beginPath();
    c.arc(this.px(x), this.py(y), radius, 0, 2 * Math.PI);
    c.fill();
  }
}

export function line(c: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  c.beginPath();
  c.moveTo(x0, y0);
  c.lineTo(x1, y1);
  c.stroke();
}

/** About six round tick values across [lo, hi]. */
export function ticks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickText(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(0);
  return String(Number(value.toPrecision(4)));
}

/** Calls `draw` after layout changes (resizes) and now. */
export function onResize(element: HTMLElement, draw: () => void): () => void {
  const observer = new ResizeObserver(() => draw());
  observer.observe(element);
  return () => observer.disconnect();
}
