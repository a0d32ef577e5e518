// The pictures: the network drawn as the lecture draws it (input layer -> hidden layers -> s -> J), and a
// computational graph from /v1/graph. Each node shows its value and, once the backward pass has reached it, its
// gradient; edges show the weight (network) or the branch's contribution to the gradient (graph).
import { s, sub } from './dom.js';
import { LAYER_KINDS, activationOf, layerNames } from './editor.js';

const NODE_H = 54;
const SLOT = 66;
const MAX_SHOWN = 10;
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
    if (v.length > 0 && Array.isArray(v[0])) return `${v.length}×${v[0].length}`;
    const written = `[${v.map(short).join(', ')}]`;
    return written.length <= 14 ? written : `${v.length}-vector`; // the node's title has every entry
  }
  return v === undefined || v === null ? '' : String(v);
}

function node(g, x, y, { label, value, grad, title, cls = '', extra }) {
  const height = extra ? NODE_H + 14 : NODE_H;
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
  svg.style.minWidth = `${g.minWidth}px`;
  svg.append(s('title', { text: label }));
}

/**
 * Squeezes each text wider than its box (a node's, a column's, an edge label's) to the box's width, keeping its
 * height: the whole number stays on show, a little narrower.
 */
function squeeze(svg, g) {
  const room = [['.node text', g.nodeW - 6], ['.column-title', g.col - 8], ['.contribution text', 56]];
  for (const [selector, width] of room) {
    for (const text of svg.querySelectorAll(selector)) {
      if (text.getComputedTextLength() > width) {
        text.setAttribute('textLength', String(width));
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
  return written.length <= 16 ? written : `Σ of ${branch.contributions.length} branches`;
}

/** Longest path from an input: the column of each node of a /v1/graph answer. */
function depths(graphNodes) {
  const depth = new Map();
  for (const nd of graphNodes) {
    const ins = Array.isArray(nd.inputs) ? nd.inputs : [];
    depth.set(nd.name, ins.length ? 1 + Math.max(...ins.map((i) => depth.get(i) ?? 0)) : 0);
  }
  return depth;
}

/**
 * A /v1/graph answer: nodes in columns by depth, each with its value and gradient; each edge labelled with that
 * branch's contribution to the input's gradient (upstream × local), once the backward pass has crossed it.
 * `shown` is how many of the response's steps have been taken; `blind` (grade mode) draws only the inputs' values.
 */
export function drawGraph(svg, { response, shown, blind = false, room }) {
  const graphNodes = Array.isArray(response?.nodes) ? response.nodes : [];
  const steps = Array.isArray(response?.steps) ? response.steps : [];
  const F = response?.forward ?? {};
  const G = response?.gradients ?? {};
  const output = response?.output;
  const branches = new Map((response?.branches ?? []).map((b) => [b.name, b]));
  const depth = depths(graphNodes);
  const columns = [];
  graphNodes.forEach((nd) => { (columns[depth.get(nd.name)] ??= []).push(nd); });

  const stepsOf = (name) => steps.map((st, i) => ({ st, i })).filter(({ st }) => st.gradient === name);
  const reached = (name) => !blind
    && (name === output || (stepsOf(name).length > 0 && stepsOf(name).every(({ i }) => i < shown)));
  const current = shown < steps.length ? steps[shown - 1] : null; // the step just taken, while stepping

  const tallest = Math.max(...columns.map((c) => c.length), 1);
  const slot = SLOT + 22;
  const height = tallest * slot + 40;
  const g = geometry(room, columns.length, 190, 66); // room between columns for an edge's label
  frame(svg, g, height, `The computational graph of ${output ?? 'the expression'}: ${graphNodes.length} nodes`);

  const pos = new Map();
  columns.forEach((col, ci) => {
    const top = 20 + (height - 20 - col.length * slot) / 2;
    col.forEach((nd, i) => pos.set(nd.name, { x: g.margin + ci * g.col, y: top + i * slot + (slot - NODE_H) / 2 }));
  });

  const edges = s('g', { class: 'edges' });
  const labels = s('g', { class: 'edge-labels' });
  for (const nd of graphNodes) {
    const to = pos.get(nd.name);
    const ins = [...new Set(Array.isArray(nd.inputs) ? nd.inputs : [])];
    for (const input of ins) {
      const from = pos.get(input);
      if (!from || !to) continue;
      const own = steps.map((st, i) => ({ st, i })).filter(({ st }) => st.gradient === input && st.via === nd.name);
      const crossed = !blind && own.length > 0 && own.every(({ i }) => i < shown);
      const isCurrent = current && current.gradient === input && current.via === nd.name;
      const x1 = from.x + g.nodeW; const y1 = from.y + NODE_H / 2; const x2 = to.x; const y2 = to.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      edges.append(s('path', {
        d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
        class: `edge graph-edge${isCurrent ? ' current' : ''}`,
        'data-from': input, 'data-to': nd.name,
      }));
      if (crossed) {
        const text = own.map(({ st }) => short(st.downstream?.value)).join(' + ');
        const lx = mx; const ly = (y1 + y2) / 2 - 4;
        labels.append(s('g', { class: 'contribution', 'data-from': input, 'data-to': nd.name },
          s('title', { text: own.map(({ st }) => `${st.formula}: ${st.downstream?.name} = ${JSON.stringify(st.downstream?.value)}`).join('\n') }),
          s('rect', { x: lx - 30, y: ly - 11, width: 60, height: 15, rx: 4 }),
          s('text', { x: lx, y: ly, text })));
      }
    }
  }
  const nodes = s('g', { class: 'nodes' });
  for (const nd of graphNodes) {
    const p = pos.get(nd.name);
    const show = reached(nd.name) && nd.name in G;
    const branch = branches.get(nd.name);
    const what = nd.op === 'input' ? 'input' : (nd.expression ?? nd.op);
    const definition = nd.expression && nd.expression.length <= 12 ? nd.expression : nd.op;
    nodes.append(node(g, p.x, p.y, {
      label: nd.op === 'input' || nd.op === 'const' ? nd.name : `${nd.name} = ${definition}`,
      value: blind && nd.op !== 'input' && nd.op !== 'const' ? '' : (nd.name in F ? short(F[nd.name]) : short(nd.value)),
      grad: show ? `∂ ${short(G[nd.name])}` : '',
      extra: show && branch ? sumOf(branch) : null,
      title: `${nd.name}: ${what}${nd.name in F && (!blind || nd.op === 'input') ? ` = ${JSON.stringify(F[nd.name])}` : ''}`
        + (show ? `; ∂${output}/∂${nd.name} = ${JSON.stringify(G[nd.name])}` : '')
        + (branch ? `; used by ${branch.contributions.map((c) => c.via).join(' and ')}: gradients add` : ''),
      cls: [nd.op === 'input' ? 'input' : '', branch ? 'branch' : '', nd.name === output ? 'loss' : '',
        current && current.gradient === nd.name ? 'current' : ''].join(' '),
    }));
    nodes.lastChild.setAttribute('data-name', nd.name);
  }
  svg.append(edges, nodes, labels);
  squeeze(svg, g);
}
