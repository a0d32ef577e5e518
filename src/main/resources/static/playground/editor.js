// The request editor: a /v1/gradients problem as a form. Every keystroke updates the request (the field's text read
// by tensor-text.js) and asks for a recomputation; structural changes (a layer added, the loss or the activation
// changed) redraw the form. Every field carries the data-path the service names it by in errors[].path.
import { h } from './dom.js';
import { formatTensor, parseTensor } from './tensor-text.js';

/**
 * Each activation's wire name and how the service's text answers write h = f(z) (Activation.java; its LaTeX says
 * the same), so that the page spells every function as the derivations do.
 */
const ACTIVATIONS = {
  identity: (z) => z,
  relu: (z) => `ReLU(${z})`,
  leaky_relu: (z) => `LeakyReLU(${z})`,
  sigmoid: (z) => `σ(${z})`,
  tanh: (z) => `tanh(${z})`,
  hardtanh: (z) => `hardtanh(${z})`,
  softplus: (z) => `softplus(${z})`,
  gelu: (z) => `GELU(${z})`,
  silu: (z) => `${z} ⊙ σ(${z})`,
  softmax: (z) => `softmax(${z})`,
};

/** f(z) as the service writes it, e.g. σ(z1) for sigmoid; an activation it does not know by its wire name. */
export function activationOf(name, z) {
  return Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name](z) : `${name}(${z})`;
}

const LOSSES = {
  score: 'score: J = s',
  squared_error: 'squared error: ½‖ŷ − y‖²',
  softmax_cross_entropy: 'softmax cross-entropy',
  binary_cross_entropy: 'binary cross-entropy',
  max_margin: 'max-margin: max(0, m − s + s_c)',
  mse: 'mean squared error: mean((ŷ − y)²)',
  multiclass_svm: 'multiclass SVM: Σ_{j≠y} max(0, ŷ_j − ŷ_y + Δ)',
};
const Y_HINTS = {
  squared_error: 'the target: a vector (a number for a scalar output)',
  softmax_cross_entropy: 'the class index (from 0) or a probability vector',
  binary_cross_entropy: 'a number in [0, 1]',
  mse: 'the target: a vector (a number for a scalar output)',
  multiclass_svm: 'the class index (from 0)',
};

/**
 * The layer kinds the editor knows, each with what it shows and makes (the service's own list is its kinds' files):
 * `names` are the base names of its quantities (numbered per kind, as the service does, when the network has two
 * or more of the kind), `title` heads its card, `fields` are its card's inputs, `width` its output's width from
 * its input's, `create` a new layer of the kind on an input of that width, and `first`/`last` where it may stand.
 */
export const LAYER_KINDS = {
  dense: {
    names: ['W', 'b', 'z', 'h'],
    label: 'hidden layer',
    title: (n) => `${n.z} = ${n.W}·in + ${n.b},  ${n.h} = f(${n.z})`,
    fields: (ed, obj, path, n) => [
      ed.text(obj, 'W', `${path}.W`, { label: n.W, hint: 'one row per line', kind: 'matrix', multiline: true }),
      ed.text(obj, 'b', `${path}.b`, { label: n.b, hint: 'optional', kind: 'vector' }),
      ed.select(obj, 'activation', `${path}.activation`, {
        label: 'activation f',
        options: Object.fromEntries(Object.keys(ACTIVATIONS).map((a) => [a, `${a}: ${n.h} = ${activationOf(a, n.z)}`])),
        value: obj.activation ?? 'identity',
      }),
      obj.activation === 'leaky_relu'
        ? ed.text(obj, 'alpha', `${path}.alpha`, { label: 'α', hint: 'default 0.01', kind: 'number', placeholder: '0.01' })
        : null,
    ],
    width: (layer) => (Array.isArray(layer.W) ? layer.W.length : null),
    // identity weights: J is unchanged for relu of non-negative values, and every shape still chains
    create: (n) => ({ type: 'dense', W: Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0))),
      b: Array(n).fill(0), activation: 'relu' }),
  },
  score: {
    names: ['u', 's'],
    label: 'score layer',
    last: true,
    title: () => 'score  s = uᵀh',
    fields: (ed, obj, path) => [ed.text(obj, 'u', `${path}.u`, { label: 'u', hint: 'a vector, one line', kind: 'vector' })],
    width: () => 1,
    create: (n) => ({ type: 'score', u: Array(n).fill(1) }),
  },
  embedding: {
    names: ['L', 'x'],
    label: 'embedding',
    first: true,
    input: { one: 'words', many: 'batch_words', label: 'one window of words', hint: 'row indices of L, one line',
      manyHint: 'a window per line', start: [0, 1] },
    title: (n) => `x = [${n.L}[w1]; ${n.L}[w2]; …], the window's rows of ${n.L}`,
    fields: (ed, obj, path, n) => [
      ed.text(obj, 'L', `${path}.L`, { label: n.L, hint: 'a row per word, one per line', kind: 'matrix', multiline: true })],
    width: (layer, window) => (Array.isArray(layer.L?.[0]) && window ? layer.L[0].length * window : null),
    create: () => ({ type: 'embedding', L: [[0.1, 0.2], [0.3, -0.1], [-0.2, 0.4]] }),
  },
  layer_norm: {
    names: ['gamma', 'beta', 'n'],
    label: 'layer norm',
    title: (n) => `${n.n} = (in − mean) / √(var + ε) ⊙ ${n.gamma} + ${n.beta}`,
    fields: (ed, obj, path, n) => [
      ed.text(obj, 'gamma', `${path}.gamma`, { label: n.gamma, hint: 'optional, a vector', kind: 'vector' }),
      ed.text(obj, 'beta', `${path}.beta`, { label: n.beta, hint: 'optional, a vector', kind: 'vector' }),
      ed.text(obj, 'eps', `${path}.eps`, { label: 'ε', hint: 'default 1e-5', kind: 'number', placeholder: '1e-5' })],
    width: (layer, width) => width,
    create: (width) => ({ type: 'layer_norm', gamma: Array(width).fill(1), beta: Array(width).fill(0) }),
  },
  dropout: {
    names: ['m'],
    label: 'dropout',
    title: (n) => `${n.m} = in ⊙ mask / (1 − p)`,
    fields: (ed, obj, path) => [
      ed.text(obj, 'mask', `${path}.mask`, { label: 'mask', hint: '0 (dropped) or 1 (kept) per entry; a row per example with a batch',
        kind: 'value', multiline: true }),
      ed.text(obj, 'p', `${path}.p`, { label: 'p', hint: 'default 0.5', kind: 'number', placeholder: '0.5' })],
    width: (layer, width) => width,
    create: (width) => ({ type: 'dropout', mask: Array(width).fill(1), p: 0.5 }),
  },
};

/** The contract's names for each layer: W, b, z, h with one dense layer; W1, z1, … with several; u, s for score. */
export function layerNames(layers) {
  const count = {};
  layers.forEach((l) => { if (l && LAYER_KINDS[l.type]) count[l.type] = (count[l.type] ?? 0) + 1; });
  const seen = {};
  return layers.map((l) => {
    const kind = l && LAYER_KINDS[l.type];
    if (!kind) return {};
    seen[l.type] = (seen[l.type] ?? 0) + 1;
    const n = count[l.type] > 1 ? String(seen[l.type]) : '';
    return Object.fromEntries(kind.names.map((base) => [base, `${base}${n}`]));
  });
}

const idOf = (path) => `f-${path.replace(/[^A-Za-z0-9_]+/g, '-')}`;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function assign(target, key, value) {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** The input of the network: x and batch, or the words an embedding first looks up. */
function inputOf(model) {
  const first = model.network.layers[0];
  return LAYER_KINDS[first?.type]?.input ?? { one: 'x', many: 'batch' };
}

/** Output size of the layers before index i (the input's size for i = 0), or null when it cannot be told. */
function widthBefore(model, i) {
  const { one, many } = inputOf(model);
  const x = Array.isArray(model[one]) ? model[one] : (Array.isArray(model[many]) ? model[many][0] : null);
  let width = Array.isArray(x) ? x.length : null;
  for (let j = 0; j < i; j += 1) {
    const layer = model.network.layers[j];
    const kind = LAYER_KINDS[layer?.type];
    width = kind ? kind.width(layer, width) : null;
  }
  return width;
}

export class NetworkEditor {
  /** `onEdit()` is called after every change of the request. */
  constructor(form, onEdit) {
    this.form = form;
    this.onEdit = onEdit;
    this.model = { network: { layers: [] } };
  }

  load(problem) {
    this.model = isObject(problem) ? structuredClone(problem) : {};
    if (!isObject(this.model.network)) this.model.network = { layers: [] };
    if (!Array.isArray(this.model.network.layers)) this.model.network.layers = [];
    this.render();
  }

  /** The request as it stands (a copy). */
  problem() {
    return structuredClone(this.model);
  }

  changed(redraw) {
    if (redraw) this.render();
    this.onEdit();
  }

  /** A text field bound to `owner[key]`, read as `kind`. */
  text(owner, key, path, { label, hint, kind, multiline, placeholder }) {
    const id = idOf(path);
    const value = formatTensor(owner[key], kind);
    const lines = value.split('\n').length;
    const control = multiline
      ? h('textarea', { id, rows: Math.min(Math.max(lines, 2), 8), spellcheck: 'false', autocomplete: 'off',
        autocapitalize: 'off', placeholder })
      : h('input', { id, type: 'text', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
        inputmode: 'text', placeholder });
    control.value = value;
    control.addEventListener('input', () => {
      assign(owner, key, parseTensor(control.value, kind));
      this.changed(false);
    });
    return this.field(path, id, label, hint, control);
  }

  select(owner, key, path, { label, options, value, onChange }) {
    const id = idOf(path);
    const control = h('select', { id },
      Object.entries(options).map(([v, text]) => h('option', { value: v, text })));
    control.value = value ?? owner[key] ?? Object.keys(options)[0];
    control.addEventListener('change', () => {
      if (onChange) onChange(control.value);
      else assign(owner, key, control.value);
      this.changed(true);
    });
    return this.field(path, id, label, null, control);
  }

  field(path, id, label, hint, control) {
    const err = `${id}-error`;
    control.setAttribute('aria-describedby', err);
    return h('div', { class: 'field', 'data-path': path },
      h('label', { for: id }, h('span', { class: 'name', text: label }), hint ? h('small', { text: hint }) : null),
      control,
      h('p', { class: 'field-error', id: err, hidden: true, role: 'alert' }));
  }

  button(text, onclick, attrs = {}) {
    return h('button', { type: 'button', class: 'small', onclick, ...attrs }, text);
  }

  render() {
    const focused = document.activeElement?.id;
    const m = this.model;
    const layers = m.network.layers;
    const names = layerNames(layers);
    const cards = layers.map((layer, i) => this.layer(layer, i, names[i]));
    const last = layers[layers.length - 1];
    const buttons = Object.entries(LAYER_KINDS)
      .filter(([type, kind]) => !(kind.last && last?.type === type) && !(kind.first && LAYER_KINDS[layers[0]?.type]?.first))
      .map(([type, kind]) => this.button(`+ ${kind.label}`, () => this.add(type)));
    this.form.replaceChildren(
      h('fieldset', { class: 'group', 'data-path': 'network' },
        h('legend', { text: 'Network' }),
        h('p', { class: 'field-error', hidden: true, role: 'alert' }),
        h('div', { class: 'layers', 'data-path': 'network.layers' },
          h('p', { class: 'field-error', hidden: true, role: 'alert' }), cards),
        h('div', { class: 'row' }, buttons)),
      this.input(),
      this.loss(),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  layer(layer, i, names) {
    const path = `network.layers[${i}]`;
    const obj = isObject(layer) ? layer : {};
    const kind = LAYER_KINDS[obj.type];
    const title = `Layer ${i + 1}: ${kind ? kind.title(names) : obj.type}`;
    return h('fieldset', { class: 'layer', 'data-path': path },
      h('legend', { text: title }),
      h('p', { class: 'field-error', hidden: true, role: 'alert' }),
      kind ? kind.fields(this, obj, path, names) : [],
      this.model.network.layers.length > 1
        ? this.button('remove layer', () => this.remove(i),
          { 'aria-label': `remove layer ${i + 1}` })
        : null);
  }

  /** A new layer of kind `type`: first, last, or before a score layer, sized to its input. */
  add(type) {
    const kind = LAYER_KINDS[type];
    const layers = this.model.network.layers;
    const at = kind.first ? 0
      : kind.last || !layers.length || !LAYER_KINDS[layers[layers.length - 1]?.type]?.last ? layers.length : layers.length - 1;
    if (kind.first) {
      const { one, many } = inputOf(this.model);
      delete this.model[one];
      delete this.model[many];
      this.model[kind.input.one] = kind.input.start;
    }
    layers.splice(at, 0, kind.create(widthBefore(this.model, at) ?? 2));
    this.changed(true);
  }

  /** Removes layer i; a first layer that read the input itself (an embedding's words) gives x back. */
  remove(i) {
    const input = LAYER_KINDS[this.model.network.layers[i]?.type]?.input;
    this.model.network.layers.splice(i, 1);
    if (input) {
      const x = widthBefore(this.model, 0);
      delete this.model[input.one];
      delete this.model[input.many];
      this.model.x = Array(x ?? 2).fill(0);
    }
    this.changed(true);
  }

  input() {
    const m = this.model;
    const { one, many, label, hint, manyHint } = inputOf(m);
    const batch = many in m;
    const toggle = (wantBatch) => {
      if (wantBatch === (many in m)) return;
      if (wantBatch) { m[many] = m[one] === undefined ? [] : [m[one]]; delete m[one]; }
      else { m[one] = Array.isArray(m[many]) ? m[many][0] : undefined; delete m[many]; delete m.reduction; }
      this.changed(true);
    };
    const radio = (value, text) => h('label', { class: 'inline' },
      h('input', { type: 'radio', name: 'input-kind', id: `input-kind-${value}`, checked: batch === (value === 'batch'),
        onchange: () => toggle(value === 'batch') }), ` ${text}`);
    return h('fieldset', { class: 'group' },
      h('legend', { text: 'Input' }),
      h('div', { class: 'row', role: 'radiogroup', 'aria-label': 'input kind' },
        radio('x', label ?? 'one input x'), radio('batch', 'a batch')),
      batch
        ? [this.text(m, many, many, { label: many, hint: manyHint ?? 'one example per line', kind: 'matrix', multiline: true }),
          this.select(m, 'reduction', 'reduction', { label: 'reduction', options: { mean: 'mean', sum: 'sum' } })]
        : this.text(m, one, one, { label: one, hint: hint ?? 'a vector, one line', kind: 'vector' }));
  }

  loss() {
    const m = this.model;
    if (!isObject(m.loss)) m.loss = { type: 'score' };
    const loss = m.loss;
    const batch = inputOf(m).many in m;
    const fields = [];
    if (loss.type in Y_HINTS) {
      fields.push(this.text(loss, 'y', 'loss.y', {
        label: 'y', hint: batch ? 'one target per example (a line each, or JSON)' : Y_HINTS[loss.type],
        kind: 'value', multiline: batch,
      }));
    }
    if (loss.type === 'multiclass_svm') {
      fields.push(this.text(loss, 'margin', 'loss.margin', { label: 'margin Δ', hint: 'default 1', kind: 'number', placeholder: '1' }));
    } else if (loss.type === 'max_margin') {
      fields.push(batch
        ? this.text(loss, 'batch_c', 'loss.batch_c', { label: 'batch_c', hint: 'a corrupt window per example, one per line', kind: 'matrix', multiline: true })
        : this.text(loss, 'x_c', 'loss.x_c', { label: 'x_c', hint: 'the corrupt window', kind: 'vector' }));
      fields.push(this.text(loss, 'margin', 'loss.margin', { label: 'margin', hint: 'default 1', kind: 'number', placeholder: '1' }));
    }
    return h('fieldset', { class: 'group', 'data-path': 'loss' },
      h('legend', { text: 'Loss J' }),
      h('p', { class: 'field-error', hidden: true, role: 'alert' }),
      this.select(loss, 'type', 'loss.type', {
        label: 'loss',
        options: LOSSES,
        onChange: (type) => {
          const keep = { y: type in Y_HINTS, x_c: type === 'max_margin', batch_c: type === 'max_margin',
            margin: type === 'max_margin' || type === 'multiclass_svm' };
          m.loss = Object.fromEntries(Object.entries(loss).filter(([k]) => keep[k]));
          m.loss.type = type;
        },
      }),
      fields);
  }
}
