// The pictures: the network drawn as the lecture draws it (input layer -> hidden layers -> s -> J), and a
// computational graph from /v1/graph. Each node shows its value and, once the backward pass has reached it, its
// gradient; edges show the weight (network) or the branch's contribution to the gradient (graph).
import { s, sub } from './dom.js';
import { brief, dims, entries, preview, shapeText } from './tensor-text.js';
import { LAYER_KINDS, activationOf, layerNames } from './editor.js';

const NODE_H = 54;
const SLOT = 66;
const MAX_SHOWN = 10;
/** A drawing laid out top to bottom is this many CSS px to its unit (at most: never wider than its figure). */
const VERTICAL_SCALE = 1.1;
/** The drawing's type never renders below this many CSS px: where it would, the figure scrolls in its own box. */
const SMALLEST_PX = 10.2;

/**
 * The drawing's size for `columns` columns in `room` CSS px. Where there is room (a desktop): nodes 104 wide,
 * `spacing` apart, in the stylesheet's type (11 to 13 units). Where there is not (a phone): the compact drawing, in
 * 12-unit type (the stylesheet's svg.compact), nodes 74 wide, the columns spread to fill the room at full size
 * but never closer than `gap` (then drawn smaller). Either way `minWidth` is the CSS width at which the smallest
 * type renders SMALLEST_PX tall.
 */
function geometry(room, columns, spacing, gap) {
  const regular = { compact: false, nodeW: 104, col: spacing, margin: 12, type: 11 };
  const compact = { compact: true, nodeW: 74, col: 0, margin: 6, type: 12 };
  const across = (g) => (columns - 1) * g.col + g.nodeW + 2 * g.margin;
  const sized = (g) => ({ ...g, width: across(g), minWidth: Math.ceil((across(g) * SMALLEST_PX) / g.type) });
  if (!(room > 0) || (room / across(regular)) * regular.type >= SMALLEST_PX) return sized(regular);
  const fill = (room - compact.nodeW - 2 * compact.margin) / Math.max(1, columns - 1);
  return sized({ ...compact, col: Math.min(spacing, Math.max(compact.nodeW + gap, Math.floor(fill))) });
}

/** A value short enough for a node: numbers to at most 4 significant digits, tensors by their shape. */
export function short(v) {
  if (typeof v === 'number') {
    const t = String(v);
    return t.length <= 8 ? t : String(Number(v.toPrecision(4)));
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) return shapeText(v);
    const written = `[${v.map(short).join(', ')}]`;
    return written.length <= 14 ? written : `${v.length}-vector`; // the node's title has every entry
  }
  return v === undefined || v === null ? '' : String(v);
}

function node(g, x, y, { label, value, grad, title, cls = '', extra, height = extra ? NODE_H + 14 : NODE_H }) {
  const mid = g.nodeW / 2;
  return s('g', { class: `node ${cls}`, transform: `translate(${x},${y})` },
    s('title', { text: title }),
    s('rect', { width: g.nodeW, height, rx: 14, ry: 14 }),
    s('text', { x: mid, y: 15, class: 'label', text: label }),
    s('text', { x: mid, y: 32, class: 'value', text: value }),
    s('text', { x: mid, y: 48, class: 'grad', text: grad }),
    extra ? s('text', { x: mid, y: 62, class: 'grad extra', text: extra }) : null);
}

function frame(svg, g, height, label) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${g.width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.toggle('compact', g.compact);
  svg.classList.toggle('vertical', Boolean(g.vertical));
  svg.style.minWidth = `${g.minWidth}px`;
  // a drawing laid out top to bottom is drawn a little above its own size, centred, not stretched to the figure's width
  svg.style.width = g.vertical ? `${Math.round(g.width * VERTICAL_SCALE)}px` : '';
  svg.append(s('title', { text: label }));
}

/**
 * Squeezes each text wider than its box (a node's, a column's, an edge label's) to the box's width, keeping its
 * height: the whole number stays on show, a little narrower.
 */
function squeeze(svg, g) {
  const boxOf = (text) => Number(text.parentElement.querySelector('rect')?.getAttribute('width') ?? g.nodeW);
  const room = [['.node > text:not(.shape)', (t) => boxOf(t) - 6], ['.column-title', () => g.col - 8],
    ['.contribution text, .gather text', (t) => boxOf(t) - 4]];
  for (const [selector, width] of room) {
    for (const text of svg.querySelectorAll(selector)) {
      if (text.getComputedTextLength() > width(text)) {
        text.setAttribute('textLength', String(width(text)));
        text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      }
    }
  }
}

/**
 * The network of a /v1/gradients request. `response` may be null (nothing computed yet); `revealed` is the set of
 * names whose gradient the backward pass has reached; `sample` picks the example of a batch.
 */
export function drawNetwork(svg, { request, response, revealed, current, sample = 0, gradients = true, values = true, room }) {
  const layers = Array.isArray(request?.network?.layers) ? request.network.layers : [];
  const names = layerNames(layers);
  const batch = Array.isArray(request?.batch) || Array.isArray(request?.batch_words);
  const F = response?.forward ?? {};
  const G = response?.gradients ?? {};
  const pick = (v) => (batch && Array.isArray(v) ? v[sample] : v);
  const at = (v, i) => (Array.isArray(v) ? v[i] : undefined);
  const show = (name) => gradients && revealed.has(name);

  // the input as x: the request's, or (after an embedding) the window of rows it looked up
  const given = batch ? request.batch?.[sample] : request?.x;
  const input = given ?? pick(F.x);
  const columns = [{
    title: 'input x',
    nodes: Array.from({ length: Array.isArray(input) ? input.length : 0 }, (_, i) => ({
      label: sub('x', i + 1),
      value: values ? short(at(pick(F.x) ?? input, i)) : short(at(input, i)),
      grad: show('x') ? short(at(pick(G.x), i)) : '',
      title: `${sub('x', i + 1)} = ${short(at(input, i))}${show('x') ? `; ∂J/∂${sub('x', i + 1)} = ${at(pick(G.x), i)}` : ''}`,
      cls: current === 'x' ? 'current' : '',
    })),
  }];
  layers.forEach((layer, l) => {
    const n = names[l];
    const kind = LAYER_KINDS[layer?.type];
    if (kind && layer.type !== 'dense' && layer.type !== 'score') {
      // any other kind: its output, entry by entry (an embedding's x is the input column already)
      const out = n[kind.names[kind.names.length - 1]];
      if (l === 0 && out === 'x') return;
      const v = pick(F[out]);
      columns.push({
        title: `${out} = ${kind.title(n)}`,
        nodes: Array.from({ length: Array.isArray(v) ? v.length : 0 }, (_, i) => ({
          label: sub(out, i + 1),
          value: values ? short(at(v, i)) : '',
          grad: show(out) ? short(at(pick(G[out]), i)) : '',
          title: `${sub(out, i + 1)} = ${at(v, i) ?? '?'}${show(out) ? `; ∂J/∂${sub(out, i + 1)} = ${at(pick(G[out]), i)}` : ''}`,
          cls: kind.names.some((b) => n[b] === current) ? 'current' : '',
        })),
      });
      return;
    }
    if (layer?.type === 'score') {
      columns.push({
        title: 'score s',
        weights: [Array.isArray(layer.u) ? layer.u : []],
        weightName: n.u,
        nodes: [{
          label: 's',
          value: values ? short(pick(F[n.s])) : '',
          grad: show(n.s) ? short(pick(G[n.s])) : '',
          title: `s = uᵀh = ${pick(F[n.s]) ?? '?'}${show(n.s) ? `; ∂J/∂s = ${pick(G[n.s])}` : ''}`,
          cls: current === n.s || current === n.u ? 'current' : '',
        }],
      });
      return;
    }
    const W = Array.isArray(layer?.W) ? layer.W : [];
    columns.push({
      title: `${n.h} = ${activationOf(layer?.activation ?? 'identity', n.z)}`,
      weights: W,
      weightName: n.W,
      nodes: W.map((_, i) => {
        const z = at(pick(F[n.z]), i);
        const hv = at(pick(F[n.h]), i);
        const dh = at(pick(G[n.h]), i);
        const delta = at(pick(G[n.z]), i);
        return {
          label: sub(n.h, i + 1),
          value: values ? short(hv) : '',
          grad: show(n.z) ? `δ ${short(delta)}` : '',
          title: `${sub(n.z, i + 1)} = ${z ?? '?'}, ${sub(n.h, i + 1)} = ${hv ?? '?'}`
            + (show(n.z) ? `; ∂J/∂${sub(n.h, i + 1)} = ${dh}, δ${i + 1} = ∂J/∂${sub(n.z, i + 1)} = ${delta}` : ''),
          cls: [n.z, n.h, n.W, n.b].includes(current) ? 'current' : '',
        };
      }),
    });
  });
  const loss = request?.loss?.type ?? 'score';
  columns.push({
    title: 'loss J',
    nodes: [{
      label: 'J',
      value: values ? short(F.J) : '',
      grad: gradients && response ? short(G.J ?? 1) : '',
      title: `J (${loss}) = ${F.J ?? '?'}${F.s_c !== undefined ? `; s_c = ${pick(F.s_c)}` : ''}`,
      cls: 'loss',
    }],
  });

  const tallest = Math.max(...columns.map((c) => Math.min(c.nodes.length, MAX_SHOWN)), 1);
  const height = tallest * SLOT + 56;
  const g = geometry(room, columns.length, 170, 28);
  const chain = columns.map((c) => c.title).join(' → ');
  frame(svg, g, height, `The network: ${chain}`);

  const place = columns.map((c, ci) => {
    const shown = c.nodes.length > MAX_SHOWN ? [...c.nodes.slice(0, MAX_SHOWN - 1),
      { label: '…', value: `+${c.nodes.length - MAX_SHOWN + 1}`, grad: '', title: `${c.nodes.length} units`, hidden: true }]
      : c.nodes;
    const top = 40 + (height - 40 - shown.length * SLOT) / 2;
    return shown.map((nd, i) => ({ ...nd, index: i, x: g.margin + ci * g.col, y: top + i * SLOT + (SLOT - NODE_H) / 2 }));
  });

  const edges = s('g', { class: 'edges' });
  const nodes = s('g', { class: 'nodes' });
  columns.forEach((c, ci) => {
    svg.append(s('text', { x: g.margin + ci * g.col + g.nodeW / 2, y: 20, class: 'column-title', text: c.title }));
    if (ci === 0) return;
    const prev = place[ci - 1];
    const weights = c.weights;
    const max = weights ? Math.max(1e-12, ...weights.flat().filter((w) => typeof w === 'number').map(Math.abs)) : 1;
    for (const to of place[ci]) {
      for (const from of prev) {
        const w = weights && !to.hidden && !from.hidden ? at(weights[to.index], from.index) : undefined;
        const numeric = typeof w === 'number';
        edges.append(s('line', {
          x1: from.x + g.nodeW, y1: from.y + NODE_H / 2, x2: to.x, y2: to.y + NODE_H / 2,
          class: weights ? (numeric && w < 0 ? 'edge negative' : 'edge positive') : 'edge loss-edge',
          'stroke-width': numeric ? (0.6 + 3.4 * Math.abs(w) / max).toFixed(2) : 1,
        }, numeric ? s('title', { text: `${c.weightName}[${to.index}][${from.index}] = ${w}` }) : null));
      }
    }
  });
  place.flat().forEach((nd) => nodes.append(node(g, nd.x, nd.y, nd)));
  svg.append(edges, nodes);
  squeeze(svg, g);
}

/** "Σ 2 + 3" for a node used twice, or how many branches sum when that does not fit the node. */
function sumOf(branch) {
  const written = `Σ ${branch.contributions.map((c) => short(c.value)).join(' + ')}`;
  const tensors = branch.contributions.some((c) => Array.isArray(c.value));
  return written.length <= 16 && !tensors ? written : `Σ of ${branch.contributions.length} branches`;
}

/**
 * The level of each node of a /v1/graph answer: an operation one past its deepest input; an input or a constant
 * just before its first use, so that a parameter used late (a bias, the next layer's weights) sits beside it.
 */
function levels(graphNodes) {
  const level = new Map();
  const users = new Map();
  for (const nd of graphNodes) {
    level.set(nd.key, nd.ins.length ? 1 + Math.max(...nd.ins.map((i) => level.get(i) ?? 0)) : 0);
    nd.ins.forEach((i) => users.set(i, [...(users.get(i) ?? []), nd.key]));
  }
  for (const nd of graphNodes) {
    const used = users.get(nd.key);
    if (nd.ins.length === 0 && used) {
      level.set(nd.key, Math.max(0, Math.min(...used.map((u) => level.get(u))) - 1));
    }
  }
  const taken = [...new Set(level.values())].sort((a, b) => a - b); // no empty level
  return new Map([...level].map(([key, l]) => [key, taken.indexOf(l)]));
}

/**
 * The nodes of a /v1/graph answer, each with a `key` (its place in the list) and its inputs' keys (`ins`): a
 * constant's name ("1") may stand for two nodes, and each input is the latest node of its name computed before.
 */
function keyed(graphNodes) {
  const latest = new Map();
  return graphNodes.map((nd, key) => {
    const names = Array.isArray(nd.inputs) ? nd.inputs : [];
    const ins = names.map((name) => latest.get(name) ?? -1);
    latest.set(nd.name, key);
    return { ...nd, key, names, ins };
  });
}

/** A matrix this small is drawn as a grid of its numbers inside its node; a larger one by its shape and a few entries. */
const GRID_ROWS = 5;
const GRID_COLS = 4;
const GRID_LINE = 13;
/** A monospace digit's width, in em, and the space between two columns of a grid, in px. */
const DIGIT = 0.62;
const CELL_GAP = 8;

/** A small matrix's rows of numbers (three significant digits), or null. */
function gridOf(v) {
  const d = dims(v);
  return d.length === 2 && d[0] <= GRID_ROWS && d[1] <= GRID_COLS && d[0] * d[1] > 1 ? v.map((row) => row.map(brief)) : null;
}

/** The rows of the gather `nd` reads, as its edge from the gathered input says it: "rows 0 1 2 1 3", or null. */
function gatherOf(nd, F, isIndex) {
  const m = /^([A-Za-z]\w*)\[(.*)\]$/.exec(nd.expression ?? '');
  if (nd.op !== 'index' || !m) return null;
  const items = m[2].split(',').map((t) => t.trim());
  const k = items.findIndex((t) => isIndex(t));
  if (k < 0) return null;
  const read = entries(F[items[k]]);
  const axis = ['rows', 'columns'][k] ?? `axis ${k}:`;
  return { from: m[1], index: items[k], text: `${axis} ${read.slice(0, 8).join(' ')}${read.length > 8 ? ' …' : ''}` };
}

/**
 * Where each node of a /v1/graph answer goes, for `room` CSS px: levels left to right in the stylesheet's type
 * where that fits (a desktop); else the compact drawing (12-unit type, 74 wide nodes) left to right, its levels
 * spread to fill the room; and where even that would be drawn smaller than SMALLEST_PX, the levels top to bottom
 * (a phone, or a chain too long for the room), with wider nodes, as a row holds few. `size(nd, compact, vertical)`
 * is a node's box. `minWidth` is the CSS width
 * at which the smallest type renders SMALLEST_PX tall; below it the figure scrolls in its own box.
 */
function graphLayout(room, columns, size) {
  const attempt = (compact, vertical) => {
    const margin = compact ? 6 : 12;
    const type = compact ? 12 : 11;
    const boxes = columns.map((col) => col.map((nd) => size(nd, compact, vertical)));
    const pos = new Map();
    let width;
    let height;
    if (vertical) {
      const gap = 16;
      const rowsW = boxes.map((row) => row.reduce((a, b) => a + b.w, 0) + (row.length - 1) * gap);
      width = Math.max(...rowsW) + 2 * margin;
      let y = 24;
      columns.forEach((row, r) => {
        let x = (width - rowsW[r]) / 2;
        const tallest = Math.max(...boxes[r].map((b) => b.h));
        row.forEach((nd, i) => {
          const b = boxes[r][i];
          pos.set(nd.key, { x, y: y + (tallest - b.h) / 2, ...b });
          x += b.w + gap;
        });
        y += tallest + 64; // room for the edges' labels and the next row's shapes
      });
      height = y - 64 + 12;
    } else {
      const widths = boxes.map((col) => Math.max(...col.map((b) => b.w)));
      const inside = widths.reduce((a, b) => a + b, 0) + 2 * margin;
      const gaps = Math.max(1, columns.length - 1);
      const gap = compact ? Math.min(116, Math.max(66, Math.floor((room - inside) / gaps))) : 86;
      const totals = boxes.map((col) => col.reduce((a, b) => a + b.h, 0) + (col.length - 1) * 34);
      height = Math.max(...totals, NODE_H) + 48;
      let x = margin;
      columns.forEach((col, c) => {
        let y = 24 + (height - 36 - totals[c]) / 2;
        col.forEach((nd, i) => {
          const b = boxes[c][i];
          pos.set(nd.key, { x: x + (widths[c] - b.w) / 2, y, ...b });
          y += b.h + 34;
        });
        x += widths[c] + gap;
      });
      width = x - gap + margin;
    }
    return { compact, vertical, type, width, height, pos, minWidth: Math.ceil((width * SMALLEST_PX) / type) };
  };
  const regular = attempt(false, false);
  if (!(room > 0) || (room / regular.width) * regular.type >= SMALLEST_PX) return regular;
  const compact = attempt(true, false);
  if (compact.minWidth <= room || columns.length < 3) return compact;
  const vertical = attempt(true, true);
  return vertical.minWidth < compact.minWidth ? vertical : compact;
}

/**
 * A /v1/graph answer: nodes in levels by depth, each with its value and gradient, a tensor's shape beside it (a small
 * matrix as a grid of its numbers, a larger one by a few entries); each edge labelled with that branch's
 * contribution to the input's gradient (upstream × local), once the backward pass has crossed it; a gather's edge
 * with the rows it reads (its gradient scatter-adds back into them). `shown` is how many of the response's steps
 * have been taken; `blind` (grade mode) draws only the inputs' values.
 */
export function drawGraph(svg, { response, shown, blind = false, room }) {
  const graphNodes = keyed(Array.isArray(response?.nodes) ? response.nodes : []);
  const steps = Array.isArray(response?.steps) ? response.steps : [];
  const F = response?.forward ?? {};
  const G = response?.gradients ?? {};
  const output = response?.output;
  const branches = new Map((response?.branches ?? []).map((b) => [b.name, b]));
  // an index input: given, with a value, but never a gradient (the words of a gather, the labels of a loss)
  const indexInputs = new Set(graphNodes.filter((nd) => nd.op === 'input' && nd.name in F && !(nd.name in G)).map((nd) => nd.name));
  const isIndex = (name) => indexInputs.has(name);
  if (graphNodes.length === 0) {
    svg.replaceChildren();
    return;
  }
  const level = levels(graphNodes);
  const columns = [];
  graphNodes.forEach((nd) => { (columns[level.get(nd.key)] ??= []).push(nd); });

  const stepsOf = (name) => steps.map((st, i) => ({ st, i })).filter(({ st }) => st.gradient === name);
  const reached = (name) => !blind
    && (name === output || (stepsOf(name).length > 0 && stepsOf(name).every(({ i }) => i < shown)));
  const current = shown < steps.length ? steps[shown - 1] : null; // the step just taken, while stepping
  const valueOf = (nd) => (blind && nd.op !== 'input' && nd.op !== 'const' ? undefined : F[nd.name]);

  const size = (nd, compact, vertical) => {
    if (nd.op === 'const') return { w: 44, h: 26, constant: true }; // a number: a small box
    const grid = gridOf(valueOf(nd));
    const type = compact ? 12 : 11;
    let w = vertical ? 120 : (compact ? 74 : 104);
    let widths = null;
    if (grid) {
      widths = grid[0].map((_, j) => Math.ceil(Math.max(...grid.map((row) => row[j].length)) * DIGIT * type));
      w = Math.max(w, widths.reduce((a, b) => a + b, 0) + (widths.length - 1) * CELL_GAP + 14);
    }
    const extra = reached(nd.name) && nd.name in G && branches.has(nd.name);
    return { w, h: NODE_H + (grid ? (grid.length - 1) * GRID_LINE : 0) + (extra ? 14 : 0), grid, widths, extra };
  };
  const g = graphLayout(room, columns, size);
  frame(svg, g, g.height, `The computational graph of ${output ?? 'the expression'}: ${graphNodes.length} nodes`);

  const edges = s('g', { class: 'edges' });
  const labels = s('g', { class: 'edge-labels' });
  const label = (cls, attrs, x, y, text, title) => {
    const w = Math.max(60, Math.ceil(text.length * DIGIT * g.type) + 8);
    return s('g', { class: cls, ...attrs }, s('title', { text: title }),
      s('rect', { x: x - w / 2, y: y - 11, width: w, height: 15, rx: 4 }), s('text', { x, y, text }));
  };
  for (const nd of graphNodes) {
    const to = g.pos.get(nd.key);
    const gather = gatherOf(nd, F, isIndex);
    const drawn = new Set();
    for (const [j, input] of nd.names.entries()) {
      const from = g.pos.get(nd.ins[j]);
      if (drawn.has(nd.ins[j])) continue; // W * W: one edge
      drawn.add(nd.ins[j]);
      if (!from || !to) continue;
      const own = steps.map((st, i) => ({ st, i })).filter(({ st }) => st.gradient === input && st.via === nd.name);
      const crossed = !blind && own.length > 0 && own.every(({ i }) => i < shown);
      const isCurrent = current && current.gradient === input && current.via === nd.name;
      const [x1, y1, x2, y2] = g.vertical
        ? [from.x + from.w / 2, from.y + from.h, to.x + to.w / 2, to.y]
        : [from.x + from.w, from.y + from.h / 2, to.x, to.y + to.h / 2];
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      // a label sits on its edge: halfway (left to right), or (top to bottom) 0.3 of the way down from the node it
      // leaves, where two edges into one node are still apart (the curve's x there is 0.216 of the way across)
      const [lx, ly] = g.vertical ? [x1 + (x2 - x1) * 0.216, y1 + (y2 - y1) * 0.3 + 4] : [mx, my - 4];
      const isGather = gather && gather.from === input;
      edges.append(s('path', {
        d: g.vertical ? `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}` : `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
        class: `edge graph-edge${isIndex(input) ? ' index-edge' : ''}${isCurrent ? ' current' : ''}`,
        'data-from': input, 'data-to': nd.name,
      }));
      if (isGather) {
        labels.append(label('gather', { 'data-from': input, 'data-to': nd.name }, lx, ly - (crossed && !g.vertical ? 14 : 0),
          gather.text, `${nd.name} = ${nd.expression}: ${nd.name} reads ${gather.text} of ${input} (${gather.index} = `
          + `${JSON.stringify(F[gather.index])}); its gradient is scatter-added back into them, summing where one repeats`));
      }
      if (crossed) {
        const text = own.map(({ st }) => glance(st.downstream?.value, 1)).join(' + ');
        labels.append(label('contribution', { 'data-from': input, 'data-to': nd.name }, lx, ly + (isGather ? (g.vertical ? 17 : 14) : 0),
          text, own.map(({ st }) => `${st.formula}: ${st.downstream?.name} = ${described(st.downstream?.value)}`).join('\n')));
      }
    }
  }
  const nodes = s('g', { class: 'nodes' });
  for (const nd of graphNodes) {
    const p = g.pos.get(nd.key);
    if (p.constant) {
      nodes.append(s('g', { class: 'node const', transform: `translate(${p.x},${p.y})`, 'data-name': nd.name, 'data-shape': '' },
        s('title', { text: `${nd.name}: a constant (no gradient)` }), s('rect', { width: p.w, height: p.h, rx: 8, ry: 8 }),
        s('text', { x: p.w / 2, y: 18, class: 'value', text: nd.name })));
      continue;
    }
    const show = reached(nd.name) && nd.name in G;
    const branch = branches.get(nd.name);
    const what = nd.op === 'input' ? (isIndex(nd.name) ? 'index input' : 'input') : (nd.expression ?? nd.op);
    const definition = nd.expression && nd.expression.length <= 12 ? nd.expression : nd.op;
    const value = valueOf(nd);
    const tensor = Array.isArray(value);
    const el = node({ nodeW: p.w }, p.x, p.y, {
      height: p.h,
      label: nd.op === 'input' || nd.op === 'const' ? nd.name : `${nd.name} = ${definition}`,
      value: p.grid ? '' : glance(value ?? (blind ? undefined : nd.value), p.w >= 100 ? 3 : 2),
      grad: show ? `∂ ${glance(G[nd.name], p.w >= 100 ? 2 : 1)}` : '',
      extra: p.extra ? sumOf(branch) : null,
      title: `${nd.name}: ${what}${nd.name in F && (!blind || nd.op === 'input') ? ` = ${described(F[nd.name])}` : ''}`
        + (show ? `; ∂${output}/∂${nd.name} = ${described(G[nd.name])}` : '')
        + (branch ? `; used by ${branch.contributions.map((c) => c.via).join(' and ')}: gradients add` : ''),
      cls: [nd.op === 'input' ? 'input' : '', isIndex(nd.name) ? 'index' : '', branch ? 'branch' : '', nd.name === output ? 'loss' : '',
        current && current.gradient === nd.name ? 'current' : ''].join(' '),
    });
    if (p.grid) gridInto(el, p);
    if (tensor) el.append(s('text', { x: p.w - 4, y: -5, class: 'shape', text: shapeText(value) }));
    el.setAttribute('data-name', nd.name);
    el.setAttribute('data-shape', tensor ? shapeText(value) : '');
    nodes.append(el);
  }
  svg.append(edges, nodes, labels);
  squeeze(svg, g);
}

/** A small matrix's numbers in the node's value line and the lines below it, each column right-aligned. */
function gridInto(el, p) {
  el.querySelector('.value').remove();
  const gridW = p.widths.reduce((a, b) => a + b, 0) + (p.widths.length - 1) * CELL_GAP;
  const grad = el.querySelector('.grad:not(.extra)');
  const below = (p.grid.length - 1) * GRID_LINE;
  grad.setAttribute('y', String(48 + below));
  el.querySelector('.extra')?.setAttribute('y', String(62 + below));
  const cells = s('g', { class: 'grid' });
  p.grid.forEach((row, i) => {
    let right = (p.w - gridW) / 2;
    row.forEach((cell, j) => {
      right += p.widths[j];
      cells.append(s('text', { x: right, y: 32 + i * GRID_LINE, class: 'cell', text: cell }));
      right += CELL_GAP;
    });
  });
  el.append(cells);
}

/** A value on one line of a node: a number, a short vector written out, else a few entries (the shape is beside it). */
function glance(v, n) {
  const written = short(v);
  return !Array.isArray(v) || (dims(v).length === 1 && written.startsWith('[')) ? written : preview(v, n);
}

/** A value for a tooltip: all of a small one, the shape and a few entries of a large one. */
function described(v) {
  return Array.isArray(v) && entries(v).length > 48 ? `${shapeText(v)}: ${preview(v, 6)}` : JSON.stringify(v);
}
