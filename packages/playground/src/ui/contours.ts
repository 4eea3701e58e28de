/**
 * Contour lines of a field sampled on an n×n lattice, by marching squares: for each level, the
 * segments where the field crosses it, in lattice coordinates (column, row), interpolated
 * linearly along the cell edges.
 */

export type Segment = [number, number, number, number];

/** The segments of one level. Cells with a NaN corner are skipped. */
export function contourSegments(values: ArrayLike<number>, n: number, level: number): Segment[] {
  const out: Segment[] = [];
  const at = (col: number, row: number) => values[row * n + col]!;
  for (let row = 0; row < n - 1; row++) {
    for (let col = 0; col < n - 1; col++) {
      const corners = [at(col, row), at(col + 1, row), at(col + 1, row + 1), at(col, row + 1)];
      if (!corners.every(Number.isFinite)) continue;
      // crossing points on the four edges: top, right, bottom, left
      const edges: [number, number][] = [];
      const cross = (a: number, b: number, x0: number, y0: number, x1: number, y1: number) => {
        if (a < level === b < level) return;
        const t = (level - a) / (b - a);
        edges.push([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
      };
      const [tl, tr, br, bl] = corners as [number, number, number, number];
      cross(tl, tr, col, row, col + 1, row);
      cross(tr, br, col + 1, row, col + 1, row + 1);
      cross(br, bl, col + 1, row + 1, col, row + 1);
      cross(bl, tl, col, row + 1, col, row);
      for (let i = 0; i + 1 < edges.length; i += 2) out.push([...edges[i]!, ...edges[i + 1]!]);
    }
  }
  return out;
}

/** Levels spaced evenly in log(f − min + 1), which suits valleys such as Rosenbrock's. */
export function logLevels(values: ArrayLike<number>, count: number): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) return [];
  const top = Math.log1p(hi - lo);
  return Array.from({ length: count }, (_, i) => lo + Math.expm1((top * (i + 0.5)) / count));
}
