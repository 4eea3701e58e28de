/** The parts every chapter begins with: its title, the document's words, and a lead paragraph. */
import { h } from "../ui/dom";

export function heading(number: number, title: string, lead: string, quote?: string): HTMLElement {
  return h(
    "header",
    {},
    h("h1", { text: `${number}. ${title}` }),
    quote ? h("blockquote", { text: quote }) : null,
    h("p", { class: "lead", text: lead }),
  );
}

/** A titled white panel. */
export function panel(title: string | null, ...children: (Node | null)[]): HTMLElement {
  return h("section", { class: "panel" }, title ? h("h2", { text: title }) : null, ...children);
}
