// The public API of bookingd (SPEC §3), and where the site keeps its tokens:
// sessionStorage only (never cookies, so there is nothing to forge a request
// with; the tab forgets them when it closes).

const TOKEN = 'bookingd.token';
const USER = 'bookingd.user';
const MANAGE = 'bookingd.manage.';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  // The message of one field's validation error, if the server named it.
  field(name) {
    const e = (this.problem.errors || []).find((x) => x.field === name);
    return e ? e.message : null;
  }
}

// No Accept header of its own: the answers are JSON anyway, and a GET without
// extra headers can take over what index.html preloaded (<link rel=preload>
// is only reused by a request with the same headers).
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : null);
  return data;
}

// GET /v1/services once per page view: the pages that need it (and
// app.js, before anything else is known) ask for it at once; a failure is
// not kept, so the next call asks again.
let servicesAnswer = null;
export function services() {
  if (!servicesAnswer) {
    servicesAnswer = api('/v1/services').then((a) => a.services);
    servicesAnswer.catch(() => { servicesAnswer = null; });
  }
  return servicesAnswer;
}

// The signed-in customer, if any: {token, user, expires_at}.
export function session() {
  const token = sessionStorage.getItem(TOKEN);
  const user = sessionStorage.getItem(USER);
  if (!token || !user) return null;
  try {
    const u = JSON.parse(user);
    if (u.expires_at && Date.parse(u.expires_at) <= Date.now()) {
      signOut();
      return null;
    }
    return { token, user: u.user };
  } catch {
    return null;
  }
}

// What /v1/auth/* answer: {user, token, expires_at}.
export function keepSession(answer) {
  sessionStorage.setItem(TOKEN, answer.token);
  sessionStorage.setItem(USER, JSON.stringify({ user: answer.user, expires_at: answer.expires_at }));
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

// Manage tokens (bm_...) of bookings opened from an email's link.
export function manageToken(id) {
  return sessionStorage.getItem(MANAGE + id);
}
export function keepManageToken(id, token) {
  sessionStorage.setItem(MANAGE + id, token);
}

// The secret after '#' of an email's link, taken out of the address bar at
// once (so it is neither bookmarked nor shown), or null.
export function takeLinkSecret(prefix) {
  const hash = location.hash.slice(1);
  if (!hash) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return hash.startsWith(prefix) ? hash : null;
}

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// The booking's calendar file, fetched with the token and offered as a download.
export async function downloadIcs(booking, token) {
  const res = await fetch(`/v1/bookings/${booking.id}/ics`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError(res.status, null);
  const blob = new Blob([await res.blob()], { type: 'text/calendar' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `booking-${booking.id}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
