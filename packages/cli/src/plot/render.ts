/**
 * Rendering a Vega or Vega-Lite specification to an SVG string, headless: Vega's SVG renderer needs no
 * canvas and no DOM, so this runs the same in Node and in a browser.
 */
import { parse, type Spec, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** A Vega specification rendered to SVG markup. */
export async function renderVega(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A Vega-Lite specification compiled to Vega and rendered to SVG markup. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  return renderVega(compile(spec).spec);
}
