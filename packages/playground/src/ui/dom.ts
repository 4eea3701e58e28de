/** Small DOM helpers: every control is a native, labelled, keyboard-operable element. */

type Child = Node | string | null | undefined | false;

/** An element with attributes (and `class`, `text`) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

let uid = 0;
/** A fresh id for label/control pairs. */
export function freshId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

export interface Slider {
  element: HTMLElement;
  input: HTMLInputElement;
  value(): number;
  set(value: number): void;
}

/** A labelled range input with its value shown beside it. */
export function slider(opts: {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  format?: (value: number) => string;
  onInput: (value: number) => void;
  /** A data-test name for the tests. */
  name?: string;
}): Slider {
  const id = freshId("slider");
  const format = opts.format ?? ((v: number) => String(v));
  const input = h("input", {
    type: "range",
    id,
    min: opts.min,
    max: opts.max,
    step: opts.step,
    value: opts.value,
    "data-name": opts.name,
  });
  const output = h("output", { for: id, text: format(opts.value) });
  input.addEventListener("input", () => {
    output.textContent = format(input.valueAsNumber);
    opts.onInput(input.valueAsNumber);
  });
  return {
    element: h("div", { class: "control" }, h("label", { for: id, text: opts.label }), input, output),
    input,
    value: () => input.valueAsNumber,
    set(value: number) {
      input.value = String(value);
      output.textContent = format(input.valueAsNumber);
    },
  };
}

/** A labelled select. */
export function select<T extends string>(opts: {
  label: string;
  options: readonly { value: T; text: string }[];
  value: T;
  onChange: (value: T) => void;
  name?: string;
}): { element: HTMLElement; input: HTMLSelectElement } {
  const id = freshId("select");
  const input = h("select", { id, "data-name": opts.name });
  for (const option of opts.options) {
    input.append(
      h("option", { value: option.value, text: option.text, selected: option.value === opts.value }),
    );
  }
  input.addEventListener("change", () => opts.onChange(input.value as T));
  return { element: h("div", { class: "control" }, h("label", { for: id, text: opts.label }), input), input };
}

/** A labelled checkbox. */
export function checkbox(opts: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
}): { element: HTMLElement; input: HTMLInputElement } {
  const id = freshId("check");
  const input = h("input", { type: "checkbox", id, checked: opts.checked, "data-name": opts.name });
  input.addEventListener("change", () => opts.onChange(input.checked));
  return {
    element: h("div", { class: "control check" }, input, h("label", { for: id, text: opts.label })),
    input,
  };
}

/** A labelled text or number field; `onCommit` runs on Enter and on leaving the field. */
export function field(opts: {
  label: string;
  value: string;
  type?: "text" | "number";
  step?: number;
  onCommit: (value: string) => void;
  name?: string;
  wide?: boolean;
}): { element: HTMLElement; input: HTMLInputElement } {
  const id = freshId("field");
  const input = h("input", {
    type: opts.type ?? "text",
    id,
    value: opts.value,
    step: opts.step,
    spellcheck: "false",
    autocomplete: "off",
    "data-name": opts.name,
  });
  input.addEventListener("change", () => opts.onCommit(input.value));
  return {
    element: h(
      "div",
      { class: opts.wide ? "control wide" : "control" },
      h("label", { for: id, text: opts.label }),
      input,
    ),
    input,
  };
}

/** A button. */
export function button(
  text: string,
  onClick: () => void,
  attrs: Record<string, string> = {},
): HTMLButtonElement {
  const element = h("button", { type: "button", text, ...attrs });
  element.addEventListener("click", onClick);
  return element;
}

/** A row of controls. */
export function controls(...children: Child[]): HTMLElement {
  return h("div", { class: "controls" }, ...children);
}

/** Whether the reader asked for less motion. */
export function reducedMotion(): boolean {
  return matchMedia("(prefers-reduced-motion: reduce)").matches;
}
