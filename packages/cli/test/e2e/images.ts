/**
 * Generated image folders for the end-to-end tests: two visually distinct classes, horizontal and
 * vertical stripes, in random colours, sizes and phases, written as PNG and JPEG files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { data } from "deriva";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";

export type Stripes = "horizontal" | "vertical";

/** RGBA pixels of stripes 4 pixels wide (period 8) in a random colour on a dark background. */
export function stripes(kind: Stripes, width: number, height: number, random: () => number): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  const color = [128 + random() * 127, 128 + random() * 127, 128 + random() * 127];
  const phase = Math.floor(random() * 8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const on = ((kind === "horizontal" ? y : x) + phase) % 8 < 4;
      const at = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) pixels[at + c] = on ? color[c]! : 20 + random() * 20;
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png);
}

export function encodeJpeg(pixels: Uint8Array, width: number, height: number): Buffer {
  return jpeg.encode({ data: Buffer.from(pixels), width, height }, 90).data;
}

/**
 * Writes `dir/horizontal/*` and `dir/vertical/*`: `perClass` images each, sides from 24 to 40
 * pixels, every other one a JPEG. Returns the paths written, by class.
 */
export function writeStripesFolder(dir: string, perClass: number, seed = 1): Record<Stripes, string[]> {
  const random = data.mulberry32(seed);
  const written: Record<Stripes, string[]> = { horizontal: [], vertical: [] };
  for (const kind of ["horizontal", "vertical"] as const) {
    mkdirSync(join(dir, kind), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const width = 24 + Math.floor(random() * 17);
      const height = 24 + Math.floor(random() * 17);
      const pixels = stripes(kind, width, height, random);
      const path = join(dir, kind, i % 2 === 0 ? `${kind}-${i}.png` : `${kind}-${i}.jpg`);
      writeFileSync(path, i % 2 === 0 ? encodePng(pixels, width, height) : encodeJpeg(pixels, width, height));
      written[kind].push(path);
    }
  }
  return written;
}
