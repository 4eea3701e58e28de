/**
 * The machine a run measured: the CPU model with its family and model numbers (a virtual machine
 * often names only "AMD EPYC", and the generation decides what the figures mean), and the cores.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** AMD's Zen generation from the CPU family and model (AMD's published family/model ranges). */
export function zenGeneration(family: number, model: number): string | null {
  if (family === 23) return model < 0x30 ? "Zen/Zen+" : "Zen 2";
  if (family === 25) {
    const zen4 = (model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) || model >= 0xa0;
    return zen4 ? "Zen 4" : "Zen 3";
  }
  if (family === 26) return "Zen 5";
  return null;
}

/** The first processor's fields of /proc/cpuinfo ({} where there is none). */
function cpuinfo(): Record<string, string> {
  try {
    const first = readFileSync("/proc/cpuinfo", "utf8").split("\n\n")[0] ?? "";
    const fields: Record<string, string> = {};
    for (const line of first.split("\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    return fields;
  } catch {
    return {};
  }
}

/** "AMD EPYC (Zen 5, family 26 model 2)", or the model name alone where the numbers are unknown. */
export function cpuModel(): string {
  const info = cpuinfo();
  const name = info["model name"] ?? cpus()[0]?.model ?? "unknown CPU";
  const family = Number(info["cpu family"]);
  const model = Number(info.model);
  if (!Number.isInteger(family) || !Number.isInteger(model)) return name;
  const zen = info.vendor_id === "AuthenticAMD" ? zenGeneration(family, model) : null;
  return `${name} (${zen ? `${zen}, ` : ""}family ${family} model ${model})`;
}

/** The CPU, its logical cores and Node's version. */
export function machine(): string {
  return `${cpuModel()}, ${cpus().length} logical cores, Node ${process.version}`;
}
