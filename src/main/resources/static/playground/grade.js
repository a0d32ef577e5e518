// "Grade me": the student picks gradients (or forward values) of the problem in the editor, types answers, and the
// page asks POST /v1/grade, showing each diagnosis and feedback. The request never sets "reveal", so the service
// answers without the expected values, and this panel shows nothing of the computed result.
import { h } from './dom.js';
import { parseTensor } from './tensor-text.js';
import { clearErrors, showProblem } from './errors.js';
import { post, ProblemError } from './api.js';

const idOf = (name) => `answer-${name.replace(/[^A-Za-z0-9_]+/g, '-')}`;

export class GradePanel {
  /**
   * `problem()` gives the request to grade; `editorRoots` (or a function giving them: the problem graded may be the
   * network's or the graph's) are where problem.* errors go, what no field takes in `editorGeneral`; `onChange()`
   * is told when the chosen names change (they are part of the page's address).
   */
  constructor({ problem, editorRoots, editorGeneral, onChange }) {
    this.problem = problem;
    this.editorRoots = editorRoots;
    this.editorGeneral = editorGeneral;
    this.onChange = onChange;
    this.names = document.getElementById('grade-names');
    this.answers = document.getElementById('grade-answers');
    this.form = document.getElementById('grade-form');
    this.score = document.getElementById('grade-score');
    this.general = document.getElementById('grade-errors');
    this.tolerance = document.getElementById('grade-tolerance');
    this.chosen = null; // null until a problem is computed: then the default questions
    this.output = 'J';
    this.typed = new Map();
    this.available = { gradients: [], forward: [] };
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.grade(); });
  }

  /** The names a problem has, from a /v1/gradients answer (only its keys are read). */
  /**
   * The names a problem has, from a /v1/gradients or /v1/graph answer (only its keys are read): for a graph the
   * output's name replaces J, the inputs are the default questions, and only gradients are asked.
   */
  setNames(response) {
    const graph = Array.isArray(response?.nodes);
    this.output = graph ? response.output : 'J';
    const gradients = Object.keys(response?.gradients ?? {}).filter((n) => n !== this.output);
    const forward = graph ? [] : Object.keys(response?.forward ?? {}).map((n) => `forward.${n}`);
    this.available = { gradients, forward };
    const all = new Set([...gradients, ...forward]);
    const defaults = graph
      ? response.nodes.filter((n) => n.op === 'input').map((n) => n.name).slice(0, 3)
      : gradients.filter((n) => /^[Wbu]\d*$/.test(n)).slice(0, 3);
    this.chosen = this.chosen === null ? defaults : this.chosen.filter((n) => all.has(n));
    this.render();
  }

  render() {
    const box = (name, text) => h('label', { class: 'inline check' },
      h('input', { type: 'checkbox', value: name, checked: this.chosen.includes(name),
        onchange: (e) => this.toggle(name, e.target.checked) }), ` ${text}`);
    this.names.replaceChildren(...[
      h('div', { class: 'row' }, h('span', { class: 'name', text: 'gradients' }),
        this.available.gradients.map((n) => box(n, `∂${this.output}/∂${n}`))),
      this.available.forward.length
        ? h('div', { class: 'row' }, h('span', { class: 'name', text: 'forward values' }),
          this.available.forward.map((n) => box(n, n.slice('forward.'.length))))
        : null,
    ].filter(Boolean));
    this.answers.replaceChildren(...this.chosen.map((name) => this.answerField(name)));
    if (this.chosen.length === 0) {
      this.answers.append(h('p', { class: 'hint', text: 'Tick at least one name above.' }));
    }
  }

  answerField(name) {
    const id = idOf(name);
    const control = h('textarea', { id, rows: 2, spellcheck: 'false', autocapitalize: 'off',
      'aria-describedby': `${id}-error ${id}-result` });
    control.value = this.typed.get(name) ?? '';
    control.addEventListener('input', () => this.typed.set(name, control.value));
    control.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.grade(); }
    });
    const label = name.startsWith('forward.') ? name.slice('forward.'.length) : `∂${this.output}/∂${name}`;
    return h('div', { class: 'field answer', 'data-path': `answers.${name}` },
      h('label', { for: id }, h('span', { class: 'name', text: label })),
      control,
      h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true }),
      h('div', { class: 'verdict', id: `${id}-result` }));
  }

  toggle(name, on) {
    this.chosen = on ? [...this.chosen, name] : this.chosen.filter((n) => n !== name);
    this.render();
    this.onChange();
  }

  toleranceValue() {
    const [mode, digits] = this.tolerance.value.split(':');
    return mode ? { mode, digits: Number(digits) } : undefined;
  }

  async grade() {
    const answers = {};
    for (const name of this.chosen) {
      const value = parseTensor(this.typed.get(name) ?? '', 'value');
      if (value !== undefined) answers[name] = value;
    }
    const roots = [this.form];
    const editorRoots = typeof this.editorRoots === 'function' ? this.editorRoots() : this.editorRoots;
    const editorGeneral = typeof this.editorGeneral === 'function' ? this.editorGeneral() : this.editorGeneral;
    clearErrors([...roots, ...editorRoots]);
    this.general.hidden = true;
    if (Object.keys(answers).length === 0) {
      this.score.textContent = 'Type an answer first.';
      return;
    }
    // the ticked names are the questions: one left blank is "missing", not silently left out of the score
    const body = { problem: this.problem(), answers, questions: [...this.chosen] };
    const tolerance = this.toleranceValue();
    if (tolerance) body.tolerance = tolerance;
    this.score.textContent = 'grading…';
    try {
      const graded = await post('v1/grade', body);
      this.show(graded);
    } catch (e) {
      if (!(e instanceof ProblemError)) { this.score.textContent = `The service cannot be reached: ${e.message}`; return; }
      this.score.textContent = e.problem.title ?? 'Not graded';
      showProblem(e.problem, roots, this.general, (p) => p);
      const problemErrors = (e.problem.errors ?? []).filter((x) => String(x.path).startsWith('problem.'));
      if (problemErrors.length) {
        showProblem({ ...e.problem, errors: problemErrors }, editorRoots, editorGeneral,
          (p) => p.replace(/^problem\./, ''));
      }
    }
  }

  show(graded) {
    for (const name of this.chosen) {
      const slot = document.getElementById(`${idOf(name)}-result`);
      if (!slot) continue;
      const r = graded.results?.[name];
      if (!r) { slot.replaceChildren(); continue; }
      slot.replaceChildren(...[
        h('span', { class: `diagnosis ${r.correct ? 'right' : 'wrong'}`, 'data-diagnosis': r.diagnosis, text: r.diagnosis }),
        r.feedback ? h('span', { class: 'feedback', text: ` ${r.feedback}` }) : null,
        Array.isArray(r.wrong_entries) && r.wrong_entries.length
          ? h('span', { class: 'feedback', text: ` Wrong entries: ${r.wrong_entries.map((i) => `[${[].concat(i).join('][')}]`).join(', ')}.` })
          : null,
      ].filter(Boolean));
    }
    const points = graded.max_points !== undefined ? ` (${graded.points} of ${graded.max_points} points)` : '';
    this.score.textContent = `Score ${Math.round((graded.score ?? 0) * 100)} %: ${graded.correct} of ${graded.total} right${points}.`;
  }

  /** Old verdicts no longer apply once the problem changes. */
  clearVerdicts() {
    this.answers.querySelectorAll('.verdict').forEach((v) => v.replaceChildren());
    this.score.textContent = '';
  }
}
