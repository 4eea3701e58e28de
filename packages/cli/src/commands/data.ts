/**
 * `deriva data export <mnist|cats-vs-dogs> <folder>`: a built-in dataset as PNG files in the
 * image-folder layout (folder/train/<class>/*.png, folder/test/<class>/*.png), to look at and to
 * train on through the general image-folder path.
 */
import type { Command } from "commander";
import { builtInImages, DATASET_NAMES, type DatasetName } from "../built-in-images.js";
import { UserError } from "../errors.js";
import { exportImageFolder } from "../image-export.js";

const EXAMPLES = `
Examples:
  $ deriva data export cats-vs-dogs pets/           pets/train/cats/0001.png, …, pets/test/dogs/0399.png
  $ deriva train --data pets/train --image-size 32  then train on the folder like on any image folder
  $ deriva data export mnist digits/                digits/train/0/…, digits/test/9/…

The folder must not exist yet (or be empty). The files are written to a new folder beside it that is
renamed into place when every image is written, so an interrupted export leaves no half folder.
File names number the images in the dataset's order; the test part is the held-out split that
\`deriva train --data <name>\` tests on.`;

export function registerData(program: Command): void {
  const command = program.command("data").description("the built-in datasets");
  command
    .command("export")
    .description("write a built-in dataset as PNG files in the image-folder layout")
    .argument("<dataset>", DATASET_NAMES.join(" | "))
    .argument("<folder>", "where to write (a new or empty folder)")
    .addHelpText("after", EXAMPLES)
    .action(async (name: string, folder: string) => {
      if (!(DATASET_NAMES as readonly string[]).includes(name)) {
        throw new UserError(`unknown dataset '${name}' (use ${DATASET_NAMES.join(" or ")})`);
      }
      const started = performance.now();
      const written = await exportImageFolder(folder, () => builtInImages(name as DatasetName));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const parts = Object.entries(written.counts)
        .map(([part, n]) => `${n.toLocaleString("en-US")} ${part}`)
        .join(" and ");
      process.stdout.write(`wrote ${parts} images to ${folder} in ${seconds} s\n`);
    });
}
