// The playground: wires the editors, the service's answers and the views together, and keeps the state in the
// address (after "#", so a link reopens the same problem and nothing of it is sent to the server).
import { get, post, ProblemError } from './api.js';
import { NetworkEditor, layerNames } from './editor.js';
import { EXAMPLE, GraphEditor, PRESETS } from './graph.js';
import { GradePanel } from './grade.js';
import { drawGraph, drawNetwork } from './diagram.js';
import { clearErrors, showProblem } from './errors.js';
import { h } from './dom.js';
import { brief, dims, inline, preview, shapeText } from './tensor-text.js';
import { keepFitted, math } from './math.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_EXAMPLE = 'cs224n-lecture3';
const DEFAULT_GRAPH = 'cs231n';
const DEFAULT_DIGITS = '4';
const RECOMPUTE_AFTER_MS = 200;

const state = {
  mode: 'network', digits: DEFAULT_DIGITS, view: 'steps', projector: false,
  example: DEFAULT_EXAMPLE, seed: null, edited: false, sample: 0, gradeKind: 'network',
  step: null, // how many backward steps are shown (null: all)
};
/** The last answer that computed, per mode: { request, response, text } */
const results = { network: null, graph: null };
/** Whether the form no longer computes (its last answer is shown dimmed), per mode. */
const stale = { network: false, graph: false };

/** The problem on show: the graph in graph mode, or in grade mode when grading the graph; else the network. */
function subject() {
  return state.mode === 'graph' || (state.mode === 'grade' && state.gradeKind === 'graph') ? 'graph' : 'network';
}
let graphAvailable = false;
/** Fits the formulas of the Steps and Values tabs to their columns, after they are built or the type size changes. */
const fitFormulas = keepFitted($('panel-steps'), $('panel-values'));

const editorRoot = $('network-editor');
const editor = new NetworkEditor($('network-form'), () => {
  state.edited = true;
  state.seed = null;
  $('example').value = '';
  $('grade-variant-caption').textContent = '';
  networkChanged();
});
const graphEditor = new GraphEditor((id) => get(`v1/examples/${encodeURIComponent(id)}`), () => graphChanged());
const grade = new GradePanel({
  problem: () => (subject() === 'graph' ? graphEditor.request() : editor.problem()),
  editorRoots: () => [subject() === 'graph' ? $('graph-form') : editorRoot],
  editorGeneral: () => (subject() === 'graph' ? $('graph-errors') : $('editor-errors')),
  onChange: () => writeUrl(),
});

// ---- the address ----------------------------------------------------------------------------------------------

function json(text) {
  if (text === null) return null;
  try { return JSON.parse(text); } catch { return null; }
}

function readUrl() {
  const p = new URLSearchParams(location.hash.slice(1));
  const digits = p.get('digits');
  return {
    mode: ['network', 'graph', 'grade'].includes(p.get('mode')) ? p.get('mode') : 'network',
    digits: digits === 'all' ? '' : (/^\d+$/.test(digits ?? '') ? digits : DEFAULT_DIGITS),
    view: ['steps', 'values', 'text', 'json'].includes(p.get('view')) ? p.get('view') : 'steps',
    projector: p.get('projector') === '1',
    example: p.get('example'),
    seed: /^\d{1,16}$/.test(p.get('seed') ?? '') ? Number(p.get('seed')) : null,
    problem: json(p.get('problem')),
    graph: p.get('graph'),
    expression: p.get('expression'),
    values: json(p.get('values')),
    ask: p.get('ask') === null ? null : p.get('ask').split(',').filter(Boolean),
    gradeKind: p.get('grade') === 'graph' ? 'graph' : 'network',
  };
}

function writeUrl() {
  const p = new URLSearchParams();
  if (state.mode !== 'network') p.set('mode', state.mode);
  if (state.digits !== DEFAULT_DIGITS) p.set('digits', state.digits || 'all');
  if (state.view !== 'steps') p.set('view', state.view);
  if (state.projector) p.set('projector', '1');
  if (state.edited || !state.example) p.set('problem', JSON.stringify(editor.problem()));
  else if (state.example !== DEFAULT_EXAMPLE || state.seed !== null) p.set('example', state.example);
  if (!state.edited && state.example && state.seed !== null) p.set('seed', String(state.seed));
  const preset = graphEditor.preset();
  if (!preset) {
    const g = graphEditor.request();
    p.set('expression', g.expression);
    p.set('values', JSON.stringify(g.values));
  } else if (preset !== DEFAULT_GRAPH) {
    p.set('graph', preset);
  }
  if (state.mode === 'grade' && state.gradeKind === 'graph') p.set('grade', 'graph');
  if (grade.chosen !== null && state.mode === 'grade') p.set('ask', grade.chosen.join(','));
  const hash = p.toString();
  history.replaceState(null, '', hash ? `#${hash}` : `${location.pathname}${location.search}`);
}

// ---- computing --------------------------------------------------------------------------------------------------

function setStatus(text) {
  $('status').textContent = text;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * One computation at a time per mode: a newer edit aborts the older request and its late answer is dropped.
 * `now()` resolves to false only when the endpoint is not there (404), without showing anything.
 */
function computer(mode, path, roots, general, build, done) {
  let seq = 0;
  let controller = null;
  let timer = null;
  const run = async () => {
    clearTimeout(timer);
    seq += 1;
    const mine = seq;
    controller?.abort();
    controller = new AbortController();
    const request = build();
    document.body.classList.add('busy');
    try {
      const response = await post(path, request, { digits: state.digits, signal: controller.signal });
      if (mine !== seq) return true;
      clearErrors(roots);
      stale[mode] = false;
      setStatus('');
      done({ request, response, text: null });
      return true;
    } catch (e) {
      if (mine !== seq || e.name === 'AbortError') return true;
      if (e instanceof ProblemError && e.status === 404) return false;
      if (e instanceof ProblemError) {
        showProblem(e.problem, roots, general);
        stale[mode] = true;
        $('computed').classList.toggle('stale', stale[subject()]);
        setStatus(`${e.problem.title ?? 'Error'}: ${e.problem.detail ?? ''} (The result shown is the last one that computed.)`);
        return true;
      }
      setStatus(`The service cannot be reached (${e.message}).`);
      return true;
    } finally {
      if (mine === seq) document.body.classList.remove('busy');
    }
  };
  return {
    now: run,
    soon: () => { clearTimeout(timer); timer = setTimeout(run, RECOMPUTE_AFTER_MS); },
  };
}

const withOptions = (body) => ({ ...body, options: { ...(isObject(body.options) ? body.options : {}), steps: true, latex: true } });

const network = computer('network', 'v1/gradients', [editorRoot], $('editor-errors'), () => withOptions(editor.problem()), (r) => {
  results.network = r;
  if (subject() === 'network') grade.setNames(r.response);
  if (state.step !== null && state.step > (r.response.steps ?? []).length) state.step = null;
  render();
});

const graph = computer('graph', 'v1/graph', [$('graph-form')], $('graph-errors'), () => withOptions(graphEditor.request()), (r) => {
  results.graph = r;
  if (subject() === 'graph') grade.setNames(r.response);
  render();
});

function networkChanged() {
  writeUrl();
  grade.clearVerdicts();
  network.soon();
}

function graphChanged() {
  writeUrl();
  grade.clearVerdicts();
  graph.soon();
}

// ---- rendering --------------------------------------------------------------------------------------------------

/** A small matrix as a grid of its numbers, a longer vector or a larger tensor as its shape and a few entries. */
const GRID_ROWS = 6;
const GRID_COLS = 4;
const WRITTEN_OUT = 10;

function quantity(name, term, value, cls = '') {
  const d = dims(value);
  let dd;
  if (d.length === 2 && d[0] <= GRID_ROWS && d[1] <= GRID_COLS) {
    dd = h('dd', { class: 'value grid', 'data-shape': shapeText(value) }, value.flat().map((v) => h('span', { text: brief(v) })));
    dd.style.gridTemplateColumns = `repeat(${d[1]}, auto)`;
  } else if (d.length > 1 || (d.length === 1 && d[0] > WRITTEN_OUT)) {
    dd = h('dd', { class: 'value', 'data-shape': shapeText(value) }, h('span', { class: 'shape', text: `${shapeText(value)}: ` }),
      preview(value, 4));
  } else {
    dd = h('dd', { class: 'value', text: inline(value) });
  }
  return h('div', { class: `quantity ${cls}`, 'data-name': name }, h('dt', { text: term }), dd);
}

/** The batch's rows, whichever input the network reads (batch, or an embedding's batch_words), or null. */
function batchOf(request) {
  return Array.isArray(request.batch) ? request.batch : (Array.isArray(request.batch_words) ? request.batch_words : null);
}

function pickSample(request) {
  return (v) => (batchOf(request) && Array.isArray(v) ? v[state.sample] : v);
}

function renderSummaryNetwork({ request, response }) {
  const pick = pickSample(request);
  const layers = request.network?.layers ?? [];
  const names = layerNames(layers).filter((n) => n.z);
  $('summary').replaceChildren(
    quantity('J', 'J', response.forward?.J, 'loss'),
    ...names.map((n) => quantity(n.z, `δ${n.z.slice(1)} = ∂J/∂${n.z}`, pick(response.gradients?.[n.z]), 'gradient')));
  const rows = batchOf(request);
  const batch = rows ? rows.length : 0;
  $('sample-row').hidden = batch === 0;
  if (batch) {
    if (state.sample >= batch) state.sample = 0;
    $('sample').replaceChildren(...rows.map((_, i) => h('option', { value: String(i), text: `${i + 1} of ${batch}` })));
    $('sample').value = String(state.sample);
  }
}

function renderSummaryGraph({ response }) {
  const out = response.output;
  // the inputs with a gradient: an index input (a gather's words, a loss's labels) has none
  const inputs = (response.nodes ?? []).filter((n) => n.op === 'input' && n.name in (response.gradients ?? {})).map((n) => n.name);
  $('summary').replaceChildren(
    quantity(out, out, response.forward?.[out], 'loss'),
    ...inputs.map((n) => quantity(n, `∂${out}/∂${n}`, response.gradients?.[n], 'gradient')));
  $('sample-row').hidden = true;
}

/** The steps list is built once per answer (KaTeX is the slow part); the stepper only moves classes. */
let builtFor = null;
function renderSteps(r) {
  if (builtFor === r) return;
  builtFor = r;
  const steps = r?.response.steps ?? [];
  const tex = r?.response.latex?.steps ?? [];
  const goTo = (i) => () => {
    state.step = i + 1 === steps.length ? null : i + 1;
    renderStepper(r);
    renderDiagram(r);
  };
  // a graph's step also says its local derivative's rule: a gather's "scatter-add into rows 0, 1, 2, 1, 3 of L"; and
  // the shape of a Jacobian too large to write out, which the rule stands for
  const ruleOf = (st) => (subject() === 'graph' && st.rule
    ? h('div', { class: 'rule', text: st.local?.shape ? `${st.rule} (a ${st.local.shape} Jacobian, given by its rule)` : st.rule })
    : null);
  $('steps').replaceChildren(...steps.map((st, i) => h('li', { class: 'step', 'data-gradient': st.gradient },
    h('div', { class: 'formula' }, st.formula ?? '', ' ',
      h('button', { type: 'button', class: 'small go', onclick: goTo(i), 'aria-label': `show the backward pass up to step ${i + 1} on the drawing` }, 'on the drawing')),
    ruleOf(st),
    math(tex[i], `${st.upstream?.name} × ${st.local?.name} = ${st.downstream?.name}`))));
  const F = r?.response.forward ?? {};
  const G = r?.response.gradients ?? {};
  const LF = r?.response.latex?.forward ?? {};
  const LG = r?.response.latex?.gradients ?? {};
  const names = [...new Set([...Object.keys(F), ...Object.keys(G)])];
  $('values').replaceChildren(...names.map((n) => h('tr', { 'data-name': n },
    h('th', { scope: 'row', text: n }),
    h('td', {}, n in F ? math(LF[n], inline(F[n])) : ''),
    h('td', {}, n in G ? math(LG[n], inline(G[n])) : ''))));
  $('json-request').textContent = r ? JSON.stringify(r.request, null, 2) : '';
  $('json-response').textContent = r ? JSON.stringify(r.response, null, 2) : '';
  $('text').textContent = r?.text ?? '';
  fitFormulas();
}

function stepsShown(r) {
  const n = r?.response.steps?.length ?? 0;
  return state.step === null ? n : Math.min(state.step, n);
}

function renderStepper(r) {
  const steps = r?.response.steps ?? [];
  const k = stepsShown(r);
  [...$('steps').children].forEach((li, i) => {
    li.classList.toggle('pending', i >= k);
    li.classList.toggle('current', i === k - 1 && k < steps.length);
    if (i === k - 1 && k < steps.length) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
  });
  $('step-caption').textContent = k === steps.length
    ? `all ${steps.length} steps`
    : `step ${k} of ${steps.length}${k ? `: ${steps[k - 1].formula}` : ': before the backward pass'}`;
}

/** The width the drawing has in its figure, in CSS px. */
function drawingRoom() {
  const figure = $('diagram').parentElement;
  const style = getComputedStyle(figure);
  return figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

function renderDiagram(r) {
  const svg = $('diagram');
  const room = drawingRoom();
  svg.dataset.room = String(room); // the width it is laid out for: a test waits on it after resizing the window
  if (subject() === 'graph') {
    if (r) drawGraph(svg, { response: r.response, shown: stepsShown(r), blind: state.mode === 'grade', room });
    else svg.replaceChildren();
    return;
  }
  const steps = r?.response.steps ?? [];
  const k = stepsShown(r);
  drawNetwork(svg, {
    request: r?.request ?? editor.problem(),
    response: r?.response ?? null,
    revealed: new Set(steps.slice(0, k).map((st) => st.gradient)),
    current: k < steps.length ? steps[k - 1]?.gradient : null,
    sample: state.sample,
    gradients: state.mode !== 'grade',
    values: state.mode !== 'grade',
    room,
  });
}

// the drawing is laid out for its figure's width: drawn again when that changes (a turned phone, projector mode)
let drawnFor = 0;
new ResizeObserver(() => requestAnimationFrame(() => {
  const room = drawingRoom();
  if (room !== drawnFor && room > 0) {
    drawnFor = room;
    renderDiagram(current());
  }
})).observe($('diagram').parentElement);

async function renderText(r) {
  if (state.view !== 'text' || state.mode === 'grade' || !r || r.text !== null) return;
  const path = subject() === 'graph' ? 'v1/graph' : 'v1/gradients';
  const { latex, ...options } = r.request.options;
  $('text').textContent = 'asking the service for the derivation…';
  try {
    r.text = await post(path, { ...r.request, options }, { digits: state.digits, accept: 'text/plain' });
  } catch (e) {
    r.text = e instanceof ProblemError ? `${e.problem.title}: ${e.problem.detail ?? ''}` : String(e.message);
  }
  if (r === current()) $('text').textContent = r.text;
}

function current() {
  return results[subject()];
}

function selectTab(list, attr, value) {
  for (const tab of list.querySelectorAll('[role=tab]')) {
    const on = tab.dataset[attr] === value;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    const panel = tab.getAttribute('aria-controls');
    if (panel) $(panel).hidden = !on;
  }
}

function render() {
  const grading = state.mode === 'grade';
  selectTab(document.querySelector('.modes'), 'mode', state.mode);
  selectTab(document.querySelector('#views .tabs'), 'view', state.view);
  $('mode-graph').hidden = !graphAvailable;
  editorRoot.hidden = subject() === 'graph';
  $('graph-form').hidden = subject() !== 'graph';
  $('grade-kind').hidden = !graphAvailable;
  $(`grade-kind-${state.gradeKind}`).checked = true;
  $('grade-variant-row').hidden = subject() === 'graph';
  $('grade').hidden = !grading;
  for (const id of ['views', 'stepper', 'summary']) $(id).hidden = grading;
  $('legend').hidden = grading;
  $('result-title').textContent = { network: 'The network, computed', graph: 'The graph, computed', grade: 'The problem' }[state.mode];
  document.documentElement.classList.toggle('projector', state.projector);
  document.body.classList.toggle('graph-mode', state.mode === 'graph');
  $('projector').setAttribute('aria-pressed', String(state.projector));
  $('digits').value = state.digits;
  $('computed').classList.toggle('stale', stale[subject()]);

  const r = current();
  if (r && subject() === 'graph') renderSummaryGraph(r);
  else if (r) renderSummaryNetwork(r);
  else $('summary').replaceChildren();
  renderSteps(r);
  renderStepper(r);
  renderDiagram(r);
  renderText(r);
  fitFormulas();
}

// ---- controls ---------------------------------------------------------------------------------------------------

/** Arrow keys move between the tabs of a tablist (the WAI-ARIA pattern); Tab leaves it. */
function tablist(list, attr, onSelect) {
  const tabs = () => [...list.querySelectorAll('[role=tab]:not([hidden])')];
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) onSelect(tab.dataset[attr]);
  });
  list.addEventListener('keydown', (e) => {
    const all = tabs();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const tab = all[(to + all.length) % all.length];
    tab.focus();
    onSelect(tab.dataset[attr]);
  });
}

tablist(document.querySelector('.modes'), 'mode', (mode) => {
  state.mode = mode;
  state.step = null;
  writeUrl();
  render();
  if (subject() === 'graph' && !results.graph) graph.now();
  else if (mode === 'grade') grade.setNames(current()?.response);
});

for (const radio of document.querySelectorAll('input[name=grade-kind]')) {
  radio.addEventListener('change', async () => {
    state.gradeKind = radio.value;
    grade.chosen = null; // the other problem's default questions
    writeUrl();
    render();
    if (subject() === 'graph' && !results.graph) await graph.now();
    grade.setNames(current()?.response);
    writeUrl();
  });
}
tablist(document.querySelector('#views .tabs'), 'view', (view) => {
  state.view = view;
  writeUrl();
  render();
});

$('digits').addEventListener('change', () => {
  state.digits = $('digits').value;
  writeUrl();
  network.now();
  if (graphAvailable && (state.mode === 'graph' || results.graph)) graph.now();
});

$('projector').addEventListener('click', () => {
  state.projector = !state.projector;
  writeUrl();
  render();
});

$('share').addEventListener('click', async () => {
  writeUrl();
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus('The link to this problem is copied.');
  } catch {
    setStatus(`The link to this problem: ${location.href}`);
  }
});

$('sample').addEventListener('change', () => {
  state.sample = Number($('sample').value);
  render();
});

$('stepper').addEventListener('click', (e) => {
  const button = e.target.closest('[data-step]');
  const r = current();
  if (!button || !r) return;
  const n = r.response.steps?.length ?? 0;
  const k = stepsShown(r);
  // from every step shown (where the page opens), "step ▶" starts the walk through them at step 1
  const to = { first: 0, prev: Math.max(0, k - 1), next: k >= n ? Math.min(1, n) : k + 1, last: n }[button.dataset.step];
  state.step = to === n ? null : to;
  renderStepper(r);
  renderDiagram(r);
});

/** An example, or with a seed its variant: the same problem with fresh numbers (GET /v1/examples/{id}?seed=N). */
async function loadExample(id, seed = null) {
  const problem = await get(`v1/examples/${encodeURIComponent(id)}${seed === null ? '' : `?seed=${seed}`}`);
  if (!isObject(problem?.network)) throw new Error(`${id} is not a network for /v1/gradients`);
  state.example = id;
  state.seed = seed;
  $('grade-variant-caption').textContent = seed === null ? '' : `variant ${seed} of ${id}`;
  state.edited = false;
  state.step = null;
  state.sample = 0;
  editor.load(problem);
  $('example').value = id;
}

$('example').addEventListener('change', async () => {
  const id = $('example').value;
  if (!id) return;
  try {
    await loadExample(id);
    writeUrl();
    grade.clearVerdicts();
    await network.now();
  } catch (e) {
    setStatus(`The example cannot be loaded: ${e.message}`);
  }
});

/**
 * Whether the service has POST /v1/graph, read from its published contract: asking the endpoint itself would leave
 * a 404 in the console of every page opened on a service without it.
 */
async function offersGraphs() {
  try {
    const response = await fetch(new URL('openapi.yaml', document.baseURI));
    return response.ok && /^ {2}\/v1\/graph:/m.test(await response.text());
  } catch {
    return false;
  }
}

$('grade-variant').addEventListener('click', async () => {
  const id = state.edited || !state.example ? DEFAULT_EXAMPLE : state.example;
  try {
    await loadExample(id, Math.floor(Math.random() * 2 ** 31));
    writeUrl();
    grade.clearVerdicts();
    await network.now();
  } catch (e) {
    setStatus(`No variant: ${e.message}`);
  }
});

// ---- start ------------------------------------------------------------------------------------------------------

async function open(url) {
  Object.assign(state, { mode: url.mode, digits: url.digits, view: url.view, projector: url.projector,
    gradeKind: url.gradeKind, step: null, sample: 0 });
  if (url.ask) grade.chosen = url.ask;
  if (url.expression !== null || url.values !== null) {
    graphEditor.load('', { expression: url.expression ?? '', values: isObject(url.values) ? url.values : {} });
  } else {
    let key = url.graph in PRESETS ? url.graph : DEFAULT_GRAPH;
    let graphProblem = PRESETS[key];
    if (url.graph?.startsWith(EXAMPLE)) {
      try {
        graphProblem = await get(`v1/examples/${encodeURIComponent(url.graph.slice(EXAMPLE.length))}`);
        key = url.graph;
      } catch { /* the default graph */ }
    }
    graphEditor.load(key, graphProblem);
  }
  render();
  setStatus('computing…');
  if (isObject(url.problem)) {
    state.example = '';
    state.edited = true;
    editor.load(url.problem);
    $('example').value = '';
  } else {
    try {
      await loadExample(url.example || DEFAULT_EXAMPLE, url.seed);
    } catch {
      await loadExample(DEFAULT_EXAMPLE);
    }
  }
  writeUrl();
  await network.now();
  graphAvailable = await offersGraphs();
  if (subject() === 'graph') {
    if (graphAvailable) await graph.now();
    else {
      if (state.mode === 'graph') state.mode = 'network';
      state.gradeKind = 'network';
      setStatus('This service has no POST /v1/graph: graph mode is not available.');
    }
  }
  render();
}

// Each example says which endpoint it is a request for (none said: /v1/gradients, before graphs existed).
get('v1/examples').then((list) => {
  const examples = list.examples ?? [];
  const networks = examples.filter((e) => (e.endpoint ?? '/v1/gradients') === '/v1/gradients');
  $('example').append(...networks.map((e) => h('option', { value: e.id, text: e.title, title: e.description })));
  $('example').value = state.edited ? '' : state.example;
  graphEditor.addExamples(examples.filter((e) => e.endpoint === '/v1/graph'));
}).catch(() => { /* the select keeps "(your own)"; the running example still loads below */ });

window.addEventListener('hashchange', () => open(readUrl()));
open(readUrl());
