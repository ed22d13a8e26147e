// The few DOM helpers the views are written with, instead of a framework: the UI is a handful of small
// views that re-render from one payload, so `h()` plus `replaceChildren` is all the machinery needed, and
// the bundle stays a few kilobytes (launch-to-first-paint is benchmarked).
//
// `h()` never writes a `style` attribute: the shell's CSP (`style-src 'self'`) forbids inline style
// attributes, so positions are set through `element.style`, which the CSP allows.

/** Anything `h()` accepts as a child; falsy values are skipped, arrays are flattened. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Listener<E extends Event> = (event: E) => void;

/** Attributes and event listeners for `h()`. */
export interface Attrs {
  class?: string | undefined;
  /** Applied through `element.style` (allowed by the CSP), never as an attribute. */
  style?: Partial<Record<'left' | 'width' | 'top' | 'height' | 'right' | 'gridTemplateColumns', string>>;
  onClick?: Listener<MouseEvent>;
  onInput?: Listener<Event>;
  onChange?: Listener<Event>;
  onKeydown?: Listener<KeyboardEvent>;
  onFocusin?: Listener<FocusEvent>;
  onMouseover?: Listener<MouseEvent>;
  onMouseleave?: Listener<MouseEvent>;
  onSubmit?: Listener<SubmitEvent>;
  /** Set as the property (an input's current value), not the attribute. */
  value?: string;
  /** Any other attribute: `true` sets it empty, `false`/`null`/`undefined` leave it out. */
  [attr: string]: string | number | boolean | null | undefined | object;
}

const EVENTS: Record<string, string> = {
  onClick: 'click',
  onInput: 'input',
  onChange: 'change',
  onKeydown: 'keydown',
  onFocusin: 'focusin',
  onMouseover: 'mouseover',
  onMouseleave: 'mouseleave',
  onSubmit: 'submit',
};

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      const event = EVENTS[key];
      if (event) {
        el.addEventListener(event, value as EventListener);
      } else if (key === 'style') {
        Object.assign(el.style, value);
      } else if (key === 'value') {
        (el as unknown as { value: string }).value = String(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element (charts are plain SVG) with attributes and children; no listeners, no style. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | number | null | undefined> | null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  const frag = document.createDocumentFragment();
  append(frag, children);
  parent.replaceChildren(frag);
}

/** Positions an absolutely placed element over `[from, to]` as percentages of its track (clipped). */
export function place(el: HTMLElement, from: number, to: number): HTMLElement {
  const a = Math.max(0, Math.min(1, from));
  const b = Math.max(0, Math.min(1, to));
  el.style.left = `${(a * 100).toFixed(4)}%`;
  el.style.width = `${(Math.max(0, b - a) * 100).toFixed(4)}%`;
  return el;
}

/** A polite live region's text (set only when it changed, so screen readers are not spammed). */
export function announce(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
