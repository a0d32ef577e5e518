// Graph mode's form: an expression for POST /v1/graph and the values of its free names, one "name = value" a line.
// Like the network editor, it sends what is typed and leaves every judgement to the service.
import { h } from './dom.js';
import { parseTensor } from './tensor-text.js';

const LECTURE_W = [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], [0.05, 0.0, -0.05, 0.1, 0.2]];

/** Starting points: the lecture's own examples of a graph. */
export const PRESETS = {
  cs231n: {
    title: 'f = (x + y) · max(y, z): gradients add at a branch',
    expression: 'a = x + y\nb = max(y, z)\nf = a * b',
    values: { x: 1, y: 2, z: 0 },
  },
  lecture3: {
    title: 'the lecture\'s network as a graph: s = uᵀ σ(Wx + b)',
    expression: 'z = W @ x + b\nh = sigmoid(z)\ns = dot(u, h)',
    values: { x: [1, 2, 3, 4, 5], W: LECTURE_W, b: [0.1, -0.1, 0.0], u: [1.0, -2.0, 0.5] },
  },
  twice: {
    title: 'a value used twice: f = x·x + 3x',
    expression: 'f = x * x + 3 * x',
    values: { x: 2 },
  },
  softmax: {
    title: 'softmax cross-entropy on a linear layer',
    expression: 'p = softmax(W @ x)\nJ = -log(dot(y, p))',
    values: { W: [[0.2, -0.5], [0.3, 0.1], [-0.4, 0.6]], x: [1, 2], y: [0, 1, 0] },
  },
};

const NAME_LINE = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function valueText(v) {
  return Array.isArray(v) ? JSON.stringify(v).replace(/,/g, ', ') : String(v);
}

/** The select's value for one of the service's examples (the presets' values are their keys). */
export const EXAMPLE = 'example:';

export class GraphEditor {
  /** `fetchExample(id)` loads one of the service's examples; `onEdit()` is told of every change. */
  constructor(fetchExample, onEdit) {
    this.select = document.getElementById('graph-example');
    this.expression = document.getElementById('graph-expression');
    this.values = document.getElementById('graph-values');
    this.select.replaceChildren(h('option', { value: '', text: '(your own)' }),
      h('optgroup', { label: 'the page\'s' },
        ...Object.entries(PRESETS).map(([id, p]) => h('option', { value: id, text: p.title }))));
    this.select.addEventListener('change', async () => {
      const key = this.select.value;
      if (!key) return;
      this.load(key, key.startsWith(EXAMPLE) ? await fetchExample(key.slice(EXAMPLE.length)) : PRESETS[key]);
      onEdit();
    });
    for (const area of [this.expression, this.values]) {
      area.addEventListener('input', () => { this.select.value = ''; this.wanted = ''; onEdit(); });
    }
  }

  /** The service's examples for POST /v1/graph, from GET /v1/examples. */
  addExamples(examples) {
    if (examples.length === 0) return;
    const chosen = this.select.value || this.wanted;
    this.select.append(h('optgroup', { label: 'from /v1/examples' },
      ...examples.map((e) => h('option', { value: EXAMPLE + e.id, text: e.title, title: e.description }))));
    this.select.value = chosen;
    if (this.select.value !== chosen) this.select.value = '';
  }

  load(key, { expression, values }) {
    this.wanted = key ?? ''; // shown once addExamples lists it, if the user has not typed since
    this.select.value = key ?? '';
    if (this.select.value !== (key ?? '')) this.select.value = ''; // a key the select does not (yet) list
    this.expression.value = expression ?? '';
    this.values.value = Object.entries(values ?? {}).map(([k, v]) => `${k} = ${valueText(v)}`).join('\n');
  }

  preset() {
    return this.select.value;
  }

  /** The request's expression and values as typed; a line that is not "name = value" is sent under its own text. */
  request() {
    const values = {};
    for (const line of this.values.value.split('\n')) {
      if (line.trim() === '') continue;
      const m = NAME_LINE.exec(line);
      if (m) values[m[1]] = parseTensor(m[2], 'value') ?? null;
      else values[line.trim()] = null;
    }
    return { expression: this.expression.value, values };
  }
}
