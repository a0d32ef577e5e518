// A few DOM helpers, so the modules build elements in one expression instead of a dozen statements.

/** h('div', {class: 'x', 'data-path': 'p', onclick: fn}, child, 'text', ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k in el && !k.includes('-') && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

let next = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix) {
  next += 1;
  return `${prefix}-${next}`;
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** "h" and 2 -> "h₂" (entry numbers are 1-based on the page, as in the lecture). */
export function sub(name, n) {
  return name + String(n).split('').map((d) => SUB[Number(d)]).join('');
}
