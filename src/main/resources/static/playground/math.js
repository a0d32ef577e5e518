// Formulas rendered by KaTeX that never overflow their column. A formula is drawn on one line when it fits; else
// broken at its top-level "=" (the left side beside the first "=", each further "= …" under it); else with every
// side on a line of its own; and when even that is too wide, in smaller type, scaled to the column's width.
import { h } from './dom.js';

const EQUALS = ' = ';
const ASIDE = ' \\quad ';

/**
 * Splits LaTeX at each `separator` outside braces, brackets, parentheses and environments; one part when the
 * separator never occurs at the top level (or the nesting does not balance, so the top level cannot be told).
 */
export function splitTop(tex, separator) {
  const parts = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < tex.length; i += 1) {
    const c = tex[i];
    if (c === '\\') {
      if (tex.startsWith('\\begin{', i)) depth += 1;
      else if (tex.startsWith('\\end{', i)) depth -= 1;
      i += 1; // an escaped character (\{, \\) is not a bracket
    } else if (c === '{' || c === '(' || c === '[') {
      depth += 1;
    } else if (c === '}' || c === ')' || c === ']') {
      depth -= 1;
    } else if (depth === 0 && tex.startsWith(separator, i)) {
      parts.push(tex.slice(from, i));
      from = i + separator.length;
      i = from - 1;
    }
    if (depth < 0) return [tex];
  }
  if (depth !== 0) return [tex];
  parts.push(tex.slice(from));
  return parts;
}

/**
 * The ways to write one formula, widest first, each a list of lines: as given; aligned at "=" (the left side beside
 * the first right side, each further "= …" under it); every side on a line of its own. An aside such as
 * "\quad (δ = ∂J/∂z)" goes on a line of its own once the formula is broken.
 */
export function layouts(tex) {
  const [main, ...asides] = splitTop(tex, ASIDE);
  const sides = splitTop(main, EQUALS);
  if (sides.length === 1 && asides.length === 0) return [[tex]];
  const aside = asides.length ? [`\\quad ${asides.join(ASIDE)}`] : [];
  const rest = sides.slice(1).map((side) => `{} = ${side}`); // {} spaces "=" as if something stood to its left
  const stacked = [sides[0], ...rest, ...aside];
  if (sides.length === 1) return [[tex], stacked];
  const aligned = `\\begin{aligned} ${[`${sides[0]} &${rest[0]}`, ...rest.slice(1).map((r) => `&${r}`),
    ...aside.map((a) => `&${a}`)].join(' \\\\ ')} \\end{aligned}`;
  return [[tex], [aligned], stacked];
}

/** What each formula element holds: its layouts (rendered on first use), the one on show, what it was fitted to. */
const formulas = new WeakMap();

/** A formula's element: KaTeX's rendering of the first layout, or the fallback text where there is no KaTeX. */
export function math(tex, fallback) {
  const el = h('div', { class: 'math' });
  if (typeof tex === 'string' && window.katex) {
    formulas.set(el, { layouts: layouts(tex).map((lines) => ({ lines, node: null })), shown: -1, fitted: '' });
    show(el, 0);
  } else {
    el.textContent = typeof tex === 'string' ? tex : (fallback ?? '');
  }
  return el;
}

/** Puts layout i in the element, rendering it the first time it is asked for; returns its lines' elements. */
function show(el, i) {
  const f = formulas.get(el);
  const layout = f.layouts[i];
  if (!layout.node) {
    layout.node = h('div', { class: layout.lines.length > 1 ? 'lines' : null }, layout.lines.map((tex) => {
      const line = h('div', { class: 'line' });
      window.katex.render(tex, line, { displayMode: true, throwOnError: false });
      return line;
    }));
  }
  if (f.shown !== i) {
    el.replaceChildren(layout.node);
    f.shown = i;
  }
  return [...layout.node.children];
}

/** A line's own width, with what juts out of it (the stylesheet lets the formula shrink to its content). */
function naturalWidth(line) {
  return line.querySelector('.katex-html')?.scrollWidth ?? 0;
}

/** Scales a line's type until it fits: KaTeX sizes everything in em, so the formula scales as one. */
function scaleToFit(line, room) {
  let scale = 1;
  for (let tries = 0; tries < 3 && naturalWidth(line) > room; tries += 1) {
    scale = Math.floor((scale * room * 1000) / naturalWidth(line)) / 1000; // thousandths, rounded down
    line.style.fontSize = `${scale}em`;
  }
}

/**
 * Lays one formula out for its column: the first layout whose lines all fit, else every side on a line of its own
 * with only the lines still too wide in smaller type. Done again only when the column's width or the page's type
 * size has changed since (or when `force`d).
 */
function fit(el, force) {
  const f = formulas.get(el);
  const room = el.clientWidth;
  if (!f || room === 0) return; // no KaTeX, or on a hidden tab: laid out when the tab is shown
  const key = `${room}/${getComputedStyle(document.documentElement).fontSize}`;
  if (f.fitted === key && !force) return;
  f.fitted = key;
  for (let i = 0; i < f.layouts.length; i += 1) {
    const lines = show(el, i);
    lines.forEach((line) => { line.style.fontSize = ''; });
    if (lines.every((line) => naturalWidth(line) <= room)) return;
  }
  show(el, f.layouts.length - 1).forEach((line) => scaleToFit(line, room));
}

/** Lays out every formula under `root` that is on show (all of them again when `force`d). */
export function fitAll(root, force = false) {
  root.querySelectorAll('.math').forEach((el) => fit(el, force));
}

/**
 * Keeps the formulas under the roots fitted: as a root's width changes (a resized window, projector mode, a tab
 * shown) and once KaTeX's fonts have loaded (they change every width). The work waits for the next frame, so it
 * never runs inside the resize that caused it. Returns a function that asks for the same after new formulas.
 */
export function keepFitted(...roots) {
  let frame = 0;
  let force = false;
  const soon = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      roots.forEach((root) => fitAll(root, force));
      force = false;
    });
  };
  const observer = new ResizeObserver(soon);
  roots.forEach((root) => observer.observe(root));
  document.fonts?.addEventListener('loadingdone', () => { force = true; soon(); });
  return soon;
}
