// The service's problem+json shown where it belongs: each of `errors[].path` beside the field of the page whose
// data-path is that path or its nearest enclosing one (network.layers[0].W[1][2] -> the W field), the rest in the
// box at the top of the form. Fields carry <p class="field-error"> slots; this module only fills and clears them.

function encloses(fieldPath, errorPath) {
  return errorPath === fieldPath
    || errorPath.startsWith(`${fieldPath}.`)
    || errorPath.startsWith(`${fieldPath}[`);
}

/** The element with the longest data-path that encloses `path`, among `roots`' fields, or null. */
export function fieldFor(path, roots) {
  let best = null;
  for (const root of roots) {
    for (const el of root.querySelectorAll('[data-path]')) {
      const p = el.dataset.path;
      if (p !== '' && encloses(p, path) && (!best || p.length > best.dataset.path.length)) best = el;
    }
  }
  return best;
}

export function clearErrors(roots) {
  for (const root of roots) {
    root.querySelectorAll('.field-error').forEach((slot) => { slot.replaceChildren(); slot.hidden = true; });
    root.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    root.querySelectorAll('.invalid').forEach((f) => f.classList.remove('invalid'));
  }
}

function add(slot, text) {
  const line = document.createElement('span');
  line.textContent = text;
  slot.append(line);
  slot.hidden = false;
}

/**
 * Shows a problem. `strip` maps an error path to the page's naming (the grade endpoint nests the problem under
 * "problem."); `general` receives what no field encloses, with the problem's title and detail.
 */
export function showProblem(problem, roots, general, strip = (p) => p) {
  clearErrors(roots);
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  let placed = 0;
  for (const e of errors) {
    const path = strip(String(e.path ?? ''));
    const field = fieldFor(path, roots);
    if (!field) continue;
    const slot = field.querySelector(':scope > .field-error');
    if (!slot) continue;
    add(slot, e.message ? `${e.path}: ${e.message}` : String(e.path));
    field.classList.add('invalid');
    field.querySelectorAll(':scope > textarea, :scope > input, :scope > select, :scope > .control > *')
      .forEach((c) => c.setAttribute('aria-invalid', 'true'));
    placed += 1;
  }
  if (general && (placed < errors.length || errors.length === 0)) {
    add(general, `${problem.title || 'Error'}${problem.status ? ` (${problem.status})` : ''}: ${problem.detail || ''}`);
  }
}
