/**
 * A pad to draw a digit on, and the step that makes a drawing look like an MNIST digit: the ink's
 * bounding box scaled to fit 20×20 pixels, then placed in a 28×28 image so that its centre of
 * mass is at the centre (how MNIST's digits were prepared), white on black.
 */
import { h } from "./dom";

const SIDE = 280;

export interface DigitPad {
  element: HTMLCanvasElement;
  clear(): void;
  /** Draws strokes (lists of points in 0…1 coordinates), as a hand would. */
  drawStrokes(strokes: [number, number][][]): void;
  /** The drawing as a 28×28 RGBA image in MNIST's layout, or null when the pad is empty. */
  toMnist(): Uint8ClampedArray | null;
}

export function digitPad(label: string, onChange: () => void): DigitPad {
  const canvas = h("canvas", {
    width: SIDE,
    height: SIDE,
    role: "img",
    "aria-label": label,
    class: "pad draggable",
  });
  canvas.style.width = `${SIDE}px`;
  canvas.style.maxWidth = "100%";
  canvas.style.background = "black";
  canvas.style.borderRadius = "8px";
  const c = canvas.getContext("2d", { willReadFrequently: true })!;
  const pen = () => {
    c.strokeStyle = "white";
    c.lineWidth = 22;
    c.lineCap = "round";
    c.lineJoin = "round";
  };
  const clear = () => {
    c.fillStyle = "black";
    c.fillRect(0, 0, SIDE, SIDE);
  };
  clear();

  let last: [number, number] | null = null;
  const point = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * SIDE,
      ((event.clientY - rect.top) / rect.height) * SIDE,
    ];
  };
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    pen();
    c.beginPath();
    c.arc(last[0], last[1], 11, 0, 2 * Math.PI);
    c.fillStyle = "white";
    c.fill();
    onChange();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (last === null) return;
    const next = point(event);
    pen();
    c.beginPath();
    c.moveTo(last[0], last[1]);
    c.lineTo(next[0], next[1]);
    c.stroke();
    last = next;
    onChange();
  });
  const lift = () => {
    last = null;
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);

  return {
    element: canvas,
    clear() {
      clear();
      onChange();
    },
    drawStrokes(strokes) {
      pen();
      for (const stroke of strokes) {
        c.beginPath();
        for (const [i, [x, y]] of stroke.entries()) {
          if (i === 0) c.moveTo(x * SIDE, y * SIDE);
          else c.lineTo(x * SIDE, y * SIDE);
        }
        c.stroke();
      }
      onChange();
    },
    toMnist: () => toMnist(c.getImageData(0, 0, SIDE, SIDE)),
  };
}

function toMnist(image: ImageData): Uint8ClampedArray | null {
  const { width, height, data } = image;
  let [top, left, bottom, right] = [height, width, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4]! > 20) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return null;
  const box = Math.max(bottom - top + 1, right - left + 1);
  const scale = 20 / box;
  // the ink scaled into a 20×20 box, on a canvas (smooth down-sampling)
  const small = document.createElement("canvas");
  small.width = 28;
  small.height = 28;
  const s = small.getContext("2d", { willReadFrequently: true })!;
  s.fillStyle = "black";
  s.fillRect(0, 0, 28, 28);
  s.imageSmoothingEnabled = true;
  s.imageSmoothingQuality = "high";
  const w = (right - left + 1) * scale;
  const hgt = (bottom - top + 1) * scale;
  const source = document.createElement("canvas");
  source.width = width;
  source.height = height;
  source.getContext("2d")!.putImageData(image, 0, 0);
  s.drawImage(source, left, top, right - left + 1, bottom - top + 1, (28 - w) / 2, (28 - hgt) / 2, w, hgt);
  // shift so the centre of mass sits at the centre
  const pixels = s.getImageData(0, 0, 28, 28);
  let [mass, mx, my] = [0, 0, 0];
  for (let i = 0; i < 28 * 28; i++) {
    const v = pixels.data[i * 4]!;
    mass += v;
    mx += v * (i % 28);
    my += v * Math.floor(i / 28);
  }
  const [dx, dy] = mass > 0 ? [Math.round(13.5 - mx / mass), Math.round(13.5 - my / mass)] : [0, 0];
  const out = new Uint8ClampedArray(28 * 28 * 4);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const [sx, sy] = [x - dx, y - dy];
      const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? pixels.data[(sy * 28 + sx) * 4]! : 0;
      out.set([v, v, v, 255], (y * 28 + x) * 4);
    }
  }
  return out;
}
