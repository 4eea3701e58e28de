/** Test helper: parse SVG markup (failing on malformed XML) and find elements in it. */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface SvgElement {
  tag: string;
  attrs: Record<string, string>;
  children: SvgElement[];
  text: string;
}

type Ordered = Record<string, unknown> & { ":@"?: Record<string, string> };

function convert(node: Ordered): SvgElement | null {
  const tag = Object.keys(node).find((k) => k !== ":@")!;
  if (tag === "#text") return null;
  const kids = (node[tag] as Ordered[]) ?? [];
  const text = kids
    .filter((k) => "#text" in k)
    .map((k) => String(k["#text"]))
    .join("");
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node[":@"] ?? {})) attrs[k.replace(/^@_/, "")] = String(v);
  return { tag, attrs, text, children: kids.map(convert).filter((c): c is SvgElement => c !== null) };
}

/** The root <svg> element; throws if the markup is not well-formed XML or not an SVG. */
export function parseSvg(markup: string): SvgElement {
  const valid = XMLValidator.validate(markup);
  if (valid !== true) throw new Error(`invalid SVG: ${valid.err.msg} at line ${valid.err.line}`);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseAttributeValue: false });
  const nodes = (parser.parse(markup) as Ordered[]).map(convert).filter((n): n is SvgElement => n !== null);
  const root = nodes.find((n) => n.tag === "svg");
  if (!root) throw new Error("no <svg> root element");
  return root;
}

/** Every element below `root` (itself included) that satisfies `test`. */
export function findAll(root: SvgElement, test: (e: SvgElement) => boolean): SvgElement[] {
  const out: SvgElement[] = [];
  const walk = (e: SvgElement) => {
    if (test(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** All text drawn in the SVG. */
export function textsOf(root: SvgElement): string[] {
  return findAll(root, (e) => e.tag === "text").map((e) => e.text);
}

/** The number of drawing commands (M, L, C, ...) in a path's d attribute. */
export function pathCommands(d: string): number {
  return (d.match(/[MLHVCSQTAZ]/gi) ?? []).length;
}
