// The service's public API, called as any front-end would. URLs are relative to the page, so the playground keeps
// working behind a proxy that serves the service under a path prefix.

/** A non-2xx answer: `problem` is the service's RFC 9457 body (type, title, detail, errors[{path, message}]). */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function url(path, digits) {
  const u = new URL(path, document.baseURI);
  if (digits) u.searchParams.set('digits', String(digits));
  return u;
}

async function answer(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    let problem = { status: response.status, title: response.statusText || `HTTP ${response.status}` };
    if (type.includes('json')) {
      try { problem = await response.json(); } catch { /* keep the status line */ }
    }
    throw new ProblemError(response.status, problem);
  }
  return type.includes('json') ? response.json() : response.text();
}

/** POST a JSON body; resolves to the parsed JSON (or the text, for Accept: text/plain), rejects with ProblemError. */
export async function post(path, body, { digits, accept = 'application/json', signal } = {}) {
  const response = await fetch(url(path, digits), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: accept },
    body: JSON.stringify(body),
    signal,
  });
  return answer(response);
}

export async function get(path) {
  return answer(await fetch(url(path), { headers: { Accept: 'application/json' } }));
}
