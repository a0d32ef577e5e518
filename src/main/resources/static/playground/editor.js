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
};
const Y_HINTS = {
  squared_error: 'the target: a vector (a number for a scalar output)',
  softmax_cross_entropy: 'the class index (from 0) or a probability vector',
  binary_cross_entropy: 'a number in [0, 1]',
};

/** The contract's names for each layer: W, b, z, h with one dense layer; W1, z1, … with several; u, s for score. */
export function layerNames(layers) {
  const dense = layers.filter((l) => l && l.type !== 'score').length;
  let k = 0;
  return layers.map((l) => {
    if (l && l.type === 'score') return { u: 'u', s: 's' };
    k += 1;
    const n = dense === 1 ? '' : String(k);
    return { W: `W${n}`, b: `b${n}`, z: `z${n}`, h: `h${n}` };
  });
}

const idOf = (path) => `f-${path.replace(/[^A-Za-z0-9_]+/g, '-')}`;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function assign(target, key, value) {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Output size of the layers before index i (the input's size for i = 0), or null when it cannot be told. */
function widthBefore(model, i) {
  for (let j = i - 1; j >= 0; j -= 1) {
    const W = model.network.layers[j]?.W;
    if (Array.isArray(W)) return W.length;
  }
  const x = Array.isArray(model.x) ? model.x : (Array.isArray(model.batch) ? model.batch[0] : null);
  return Array.isArray(x) ? x.length : null;
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
    this.form.replaceChildren(
      h('fieldset', { class: 'group', 'data-path': 'network' },
        h('legend', { text: 'Network' }),
        h('p', { class: 'field-error', hidden: true, role: 'alert' }),
        h('div', { class: 'layers', 'data-path': 'network.layers' },
          h('p', { class: 'field-error', hidden: true, role: 'alert' }), cards),
        h('div', { class: 'row' },
          this.button('+ hidden layer', () => this.addDense()),
          last && last.type === 'score' ? null : this.button('+ score layer', () => this.addScore()))),
      this.input(),
      this.loss(),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  layer(layer, i, names) {
    const path = `network.layers[${i}]`;
    const obj = isObject(layer) ? layer : {};
    const score = obj.type === 'score';
    const title = score ? `Layer ${i + 1}: score  s = uᵀh` : `Layer ${i + 1}: ${names.z} = ${names.W}·in + ${names.b},  ${names.h} = f(${names.z})`;
    const body = score
      ? [this.text(obj, 'u', `${path}.u`, { label: 'u', hint: 'a vector, one line', kind: 'vector' })]
      : [
        this.text(obj, 'W', `${path}.W`, { label: names.W, hint: 'one row per line', kind: 'matrix', multiline: true }),
        this.text(obj, 'b', `${path}.b`, { label: names.b, hint: 'optional', kind: 'vector' }),
        this.select(obj, 'activation', `${path}.activation`, {
          label: 'activation f',
          options: Object.fromEntries(Object.keys(ACTIVATIONS)
            .map((a) => [a, `${a}: ${names.h} = ${activationOf(a, names.z)}`])),
          value: obj.activation ?? 'identity',
        }),
        obj.activation === 'leaky_relu'
          ? this.text(obj, 'alpha', `${path}.alpha`, { label: 'α', hint: 'default 0.01', kind: 'number', placeholder: '0.01' })
          : null,
      ];
    return h('fieldset', { class: 'layer', 'data-path': path },
      h('legend', { text: title }),
      h('p', { class: 'field-error', hidden: true, role: 'alert' }),
      body,
      this.model.network.layers.length > 1
        ? this.button('remove layer', () => { this.model.network.layers.splice(i, 1); this.changed(true); },
          { 'aria-label': `remove layer ${i + 1}` })
        : null);
  }

  /** A new hidden layer before the score layer, as wide as its input (identity weights: J is unchanged for relu of
   * non-negative values, and every shape still chains). */
  addDense() {
    const layers = this.model.network.layers;
    const at = layers.length && layers[layers.length - 1]?.type === 'score' ? layers.length - 1 : layers.length;
    const n = widthBefore(this.model, at) ?? 2;
    const W = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0)));
    layers.splice(at, 0, { type: 'dense', W, b: Array(n).fill(0), activation: 'relu' });
    this.changed(true);
  }

  addScore() {
    const layers = this.model.network.layers;
    const n = widthBefore(this.model, layers.length) ?? 1;
    layers.push({ type: 'score', u: Array(n).fill(1) });
    this.changed(true);
  }

  input() {
    const m = this.model;
    const batch = 'batch' in m;
    const toggle = (wantBatch) => {
      if (wantBatch === ('batch' in m)) return;
      if (wantBatch) { m.batch = m.x === undefined ? [] : [m.x]; delete m.x; }
      else { m.x = Array.isArray(m.batch) ? m.batch[0] : undefined; delete m.batch; delete m.reduction; }
      this.changed(true);
    };
    const radio = (value, text) => h('label', { class: 'inline' },
      h('input', { type: 'radio', name: 'input-kind', id: `input-kind-${value}`, checked: batch === (value === 'batch'),
        onchange: () => toggle(value === 'batch') }), ` ${text}`);
    return h('fieldset', { class: 'group' },
      h('legend', { text: 'Input' }),
      h('div', { class: 'row', role: 'radiogroup', 'aria-label': 'input kind' },
        radio('x', 'one input x'), radio('batch', 'a batch')),
      batch
        ? [this.text(m, 'batch', 'batch', { label: 'batch', hint: 'one example per line', kind: 'matrix', multiline: true }),
          this.select(m, 'reduction', 'reduction', { label: 'reduction', options: { mean: 'mean', sum: 'sum' } })]
        : this.text(m, 'x', 'x', { label: 'x', hint: 'a vector, one line', kind: 'vector' }));
  }

  loss() {
    const m = this.model;
    if (!isObject(m.loss)) m.loss = { type: 'score' };
    const loss = m.loss;
    const batch = 'batch' in m;
    const fields = [];
    if (loss.type in Y_HINTS) {
      fields.push(this.text(loss, 'y', 'loss.y', {
        label: 'y', hint: batch ? 'one target per example (a line each, or JSON)' : Y_HINTS[loss.type],
        kind: 'value', multiline: batch,
      }));
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
          const keep = { y: type in Y_HINTS, x_c: type === 'max_margin', batch_c: type === 'max_margin', margin: type === 'max_margin' };
          m.loss = Object.fromEntries(Object.entries(loss).filter(([k]) => keep[k]));
          m.loss.type = type;
        },
      }),
      fields);
  }
}
