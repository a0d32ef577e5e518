// Text <-> JSON values for the editor's fields. A vector is written on one line ("1 2 3" or "1, 2, 3"); a matrix has
// one row per line; anything starting with "[" is read as JSON, so "[[1, 2, 3]]" is a 1×3 row. A token that is not
// a number is sent as the string it is, so the service itself says what is wrong with it, beside the field.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function token(text) {
  const t = text.replace(/\u2212/g, '-');
  return NUMBER.test(t) ? Number(t) : text;
}

function rows(text) {
  return text.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/[\s,;]+/).filter((t) => t !== '').map(token));
}

/**
 * Reads a field's text as the kind of value the field holds: 'number', 'vector', 'matrix', or 'value' (a number, a
 * vector or a matrix, by how it is written). Empty text is `undefined` (the field is left out of the request).
 */
export function parseTensor(text, kind) {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.startsWith('[')) {
    try { return JSON.parse(t.replace(/\u2212/g, '-')); } catch { return t; }
  }
  const r = rows(t);
  switch (kind) {
    case 'number': return r.length === 1 && r[0].length === 1 ? r[0][0] : t;
    case 'vector': return r.flat();
    case 'matrix': return r;
    default: return r.length > 1 ? r : (r[0].length === 1 ? r[0][0] : r[0]);
  }
}

const scalar = (v) => typeof v === 'number' || typeof v === 'string';
const isVector = (v) => Array.isArray(v) && v.every(scalar);
const isMatrix = (v) => Array.isArray(v) && v.length > 0 && v.every(isVector);

function grid(matrix) {
  const cells = matrix.map((row) => row.map(String));
  const widths = [];
  cells.forEach((row) => row.forEach((c, j) => { widths[j] = Math.max(widths[j] || 0, c.length); }));
  return cells.map((row) => row.map((c, j) => c.padStart(widths[j])).join('  ')).join('\n');
}

/** The text a field shows for a value; parseTensor(formatTensor(v, kind), kind) gives v back. */
export function formatTensor(value, kind) {
  if (value === undefined || value === null) return '';
  if (scalar(value)) return kind === 'vector' || kind === 'matrix' ? JSON.stringify(value) : String(value);
  if (kind === 'vector' && isVector(value) && value.length > 0) return value.join(' ');
  if (kind === 'matrix' && isMatrix(value)) return grid(value);
  if (kind === 'value' && isVector(value) && value.length > 1) return value.join(' ');
  if (kind === 'value' && isMatrix(value) && value.length > 1) return grid(value);
  return JSON.stringify(value);
}

/** A number, vector or matrix on one line, as in the summary: 0.5866, [1, -2, 0.5], [[1, 2], [3, 4]]. */
export function inline(value) {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  return String(value);
}

/** The sizes of a value's axes: [] for a number, [3] for a vector, [4, 3] for a matrix, [2, 4, 4] for C×H×W. */
export function dims(value) {
  const out = [];
  for (let v = value; Array.isArray(v); v = v[0]) out.push(v.length);
  return out;
}

/** A value's shape as the service writes it: "4×3", "2×4×4"; a vector's is its length ("3"), a number's "". */
export function shapeText(value) {
  return dims(value).join('×');
}

/** Every entry of a value, in row-major order. */
export function entries(value) {
  return Array.isArray(value) ? value.flat(Infinity) : [value];
}

/** A number to three significant digits, as a cell of a grid or a preview shows it. */
export function brief(v) {
  return typeof v === 'number' ? String(Number(v.toPrecision(3))) : String(v);
}

/** A few entries of a tensor, never all of a large one: "0.3 -0.2 0.1 …" (the first `n`, row-major). */
export function preview(value, n = 3) {
  const all = entries(value);
  return all.slice(0, n).map(brief).join(' ') + (all.length > n ? ' …' : '');
}
