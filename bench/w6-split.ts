/**
 * Writes the cats-vs-dogs split (the same photos deriva trains and tests on) for the PyTorch
 * reference, bench/w6-torch-reference.py: a JSON header line {"train": 1600, "test": 400}, then for
 * each part its photos as uint8 HWC and its labels as uint8 (0 cats, 1 dogs).
 *
 *   npx tsx bench/w6-split.ts split.bin
 */
import { writeFile } from "node:fs/promises";
import { catsVsDogsPixels, catsVsDogsSplit, photoOf } from "@deriva/cli/datasets";

/** The split as the reference script reads it. */
export async function splitBytes(): Promise<Uint8Array> {
  const pixels = await catsVsDogsPixels();
  const plan = catsVsDogsSplit();
  const header = new TextEncoder().encode(
    `${JSON.stringify({ train: plan.train.length, test: plan.test.length })}\n`,
  );
  const parts = [plan.train, plan.test].flatMap((refs) => [
    ...refs.map((ref) => photoOf(pixels, ref)),
    Uint8Array.from(refs, (ref) => ref.label),
  ]);
  const out = new Uint8Array(header.length + parts.reduce((n, p) => n + p.length, 0));
  out.set(header);
  let offset = header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (path === undefined) throw new Error("usage: tsx bench/w6-split.ts <file>");
  await writeFile(path, await splitBytes());
}
