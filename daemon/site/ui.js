// What every page uses: the strings (strings.json, replaceable in site.dir),
// Intl formatting in the business time zone, and a small element builder
// that only ever puts text in as text.

let strings = {};
let business = { name: '', time_zone: 'UTC' };

export async function loadStrings() {
  const res = await fetch('/assets/strings.json');
  strings = await res.json();
  document.documentElement.lang = strings.lang || 'en';
}

export function setBusiness(b) {
  business = b;
}
export function getBusiness() {
  return business;
}

// The text of key, with {name} replaced by vars.name.
export function t(key, vars = {}) {
  const text = String(strings[key] ?? key);
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// A non-text setting of strings.json (week_starts_on: 0 = Sunday, 1 = Monday).
export function weekStart() {
  const n = Number(strings.week_starts_on);
  return Number.isInteger(n) && n >= 0 && n <= 6 ? n : 1;
}

export function lang() {
  return strings.lang || 'en';
}

// h('p', {class: 'x', onclick: f}, 'text', child): children that are strings
// become text nodes; handlers are listeners, never attributes.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A message in a region: role=status for what went well, role=alert for a
// refusal or an error (SPEC §7's hooks).
export function say(region, kind, text) {
  region.replaceChildren();
  if (!text) return;
  region.append(h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
}

// "2026-12-03" (a local date of the business) as a Date at noon UTC, for
// formatting the calendar date itself with timeZone UTC.
export function dateOf(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

export function isoDate(y, m, d) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Intl's locale: the page's language, in the visitor's own variant of it
// when the browser names one (en-GB on a page in en: "Thursday 3 December",
// 09:00; en-US: "Thursday, December 3", 9:00 AM).
function locale() {
  const page = lang();
  const own = (navigator.languages || []).find((l) => l.toLowerCase().startsWith(`${page.toLowerCase()}-`));
  return own || page;
}

const cache = new Map();
function fmt(options) {
  const key = JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(locale(), options));
  return cache.get(key);
}

export const format = {
  // A business date: "Thursday 3 December 2026".
  longDate: (iso) => fmt({ timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(dateOf(iso)),
  shortDate: (iso) => fmt({ timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(dateOf(iso)),
  month: (y, m) => fmt({ timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1, 12))),
  weekday: (i) => fmt({ timeZone: 'UTC', weekday: 'short' }).format(new Date(Date.UTC(2024, 0, 1 + i, 12))),
  // An instant in the business zone.
  time: (instant) => fmt({ timeZone: business.time_zone, hour: 'numeric', minute: '2-digit' }).format(new Date(instant)),
  dateOfInstant: (instant) => {
    const parts = fmt({ timeZone: business.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant));
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  },
  zoneAbbr: (instant = Date.now()) => {
    const parts = fmt({ timeZone: business.time_zone, timeZoneName: 'short' }).formatToParts(new Date(instant));
    return (parts.find((p) => p.type === 'timeZoneName') || {}).value || business.time_zone;
  },
  // "Europe/London" → "London".
  zoneCity: (zone = business.time_zone) => zone.split('/').pop().replace(/_/g, ' '),
  duration: (minutes) => {
    if (minutes < 60) return t('service.minutes', { n: minutes });
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? t('service.hours_minutes', { h, m }) : t('service.hours', { h });
  },
  notice: (minutes) => {
    if (minutes % 1440 === 0 && minutes >= 2880) return t('notice.days', { n: minutes / 1440 });
    if (minutes === 60) return t('notice.hour');
    if (minutes % 60 === 0) return t('notice.hours', { n: minutes / 60 });
    return t('notice.minutes', { n: minutes });
  },
};

// The browser's zone when it is not the business's (times are shown in the
// business's, and the page says so).
export function deviceZoneDiffers() {
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!device || device === business.time_zone) return null;
  const now = new Date();
  const offset = (zone) => fmt({ timeZone: zone, hour: 'numeric', minute: 'numeric', day: 'numeric', hourCycle: 'h23' }).format(now);
  try {
    return offset(device) === offset(business.time_zone) ? null : device;
  } catch {
    return device;
  }
}

// Focus for a new view: its heading (made focusable), for screen readers and keyboards.
export function focusHeading(el) {
  if (!el) return;
  el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}

export function problemText(err) {
  if (err.status === 0) return t('error.network');
  if (err.status === 503 || err.status === 429) return t('error.busy');
  return t('error.generic', { detail: err.message });
}
