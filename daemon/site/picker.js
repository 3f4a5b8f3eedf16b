// The month view and the chosen day's times (SPEC §7's hooks: day buttons
// with data-date, month buttons with data-month, time buttons with
// data-start). One request per month (/v1/availability/days) and one per day.
import { api } from './api.js';
import { h, t, clear, format, isoDate, getBusiness, lang, say, weekStart, focusHeading, problemText } from './ui.js';

function monthOf(iso) {
  const [y, m] = iso.split('-').map(Number);
  return { y, m };
}
function monthKey({ y, m }) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}
function addMonths({ y, m }, n) {
  const i = y * 12 + (m - 1) + n;
  return { y: Math.floor(i / 12), m: (i % 12) + 1 };
}

// options: service (object), resource (code or null), idPrefix, onChoose(slot, date).
export function createPicker({ service, resource = null, idPrefix = 'pick', onChoose }) {
  const biz = getBusiness();
  const now = Date.now();
  const today = format.dateOfInstant(now);
  const lastDay = format.dateOfInstant(now + biz.horizon_days * 86400000);
  const first = monthOf(today);
  const last = monthOf(lastDay);
  let month = first;
  let days = new Map();
  let chosenDate = null;
  let chosenStart = null;
  let autoAdvanced = false;

  const live = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const monthTitle = h('h3', { class: 'month-title', id: `${idPrefix}-month` });
  const prev = h('button', { type: 'button', class: 'month-nav', 'aria-label': t('book.prev') }, '‹');
  const next = h('button', { type: 'button', class: 'month-nav', 'aria-label': t('book.next') }, '›');
  const grid = h('div', { class: 'days', role: 'group', 'aria-labelledby': `${idPrefix}-month` });
  const monthNote = h('div', { class: 'month-note' });
  const timesHeading = h('h3', { class: 'times-heading', id: `${idPrefix}-times` });
  const times = h('ul', { class: 'times', 'aria-labelledby': `${idPrefix}-times` });
  const timesNote = h('div', { class: 'times-note' });
  const placeholder = h('p', { class: 'times-placeholder' }, t('book.times_placeholder'));
  const timesBox = h('div', { class: 'times-box' }, placeholder, timesHeading, timesNote, times);
  timesHeading.hidden = true;

  const el = h('div', { class: 'picker' },
    h('div', { class: 'calendar' },
      h('div', { class: 'month-bar' }, prev, monthTitle, next),
      h('div', { class: 'weekdays', 'aria-hidden': 'true' }, weekdayNames()),
      grid, monthNote),
    timesBox, live);

  prev.addEventListener('click', () => showMonth(addMonths(month, -1)));
  next.addEventListener('click', () => showMonth(addMonths(month, 1)));

  function weekdayNames() {
    const start = weekStart();
    // format.weekday(0) is a Monday.
    return Array.from({ length: 7 }, (_, i) => h('span', {}, format.weekday((start - 1 + i + 7) % 7)));
  }

  function setMonthButtons() {
    const before = addMonths(month, -1);
    const after = addMonths(month, 1);
    prev.dataset.month = monthKey(before);
    next.dataset.month = monthKey(after);
    prev.disabled = monthKey(month) <= monthKey(first);
    next.disabled = monthKey(month) >= monthKey(last);
  }

  async function showMonth(m, focusFirst = false) {
    month = m;
    monthTitle.textContent = format.month(m.y, m.m);
    setMonthButtons();
    grid.setAttribute('aria-busy', 'true');
    monthNote.replaceChildren();
    try {
      const q = new URLSearchParams({ month: monthKey(m), service: service.code });
      if (resource) q.set('resource', resource);
      const answer = await api(`/v1/availability/days?${q}`);
      days = new Map(answer.days.map((d) => [d.date, d.free]));
    } catch (e) {
      days = new Map();
      say(monthNote, 'error', problemText(e));
    }
    grid.removeAttribute('aria-busy');
    renderDays();
    if (days.size === 0 && !monthNote.firstChild) {
      if (!next.disabled && !autoAdvanced && monthKey(m) === monthKey(first)) {
        autoAdvanced = true;  // nothing left this month: open the next one
        return showMonth(addMonths(m, 1), focusFirst);
      }
      monthNote.append(h('p', { class: 'muted' },
        t(next.disabled ? 'book.month_empty' : 'book.month_empty_next', { month: format.month(m.y, m.m) })));
    }
    if (focusFirst) {
      const b = grid.querySelector('button:not([disabled])');
      if (b) b.focus();
    }
  }

  function renderDays() {
    const start = weekStart();
    const firstDow = new Date(Date.UTC(month.y, month.m - 1, 1)).getUTCDay();  // 0 = Sunday
    const lead = (firstDow - start + 7) % 7;
    const count = new Date(Date.UTC(month.y, month.m, 0)).getUTCDate();
    const cells = [];
    for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'day-pad', 'aria-hidden': 'true' }));
    for (let d = 1; d <= count; d++) {
      const iso = isoDate(month.y, month.m, d);
      const free = days.get(iso) || 0;
      const label = free ? t(free === 1 ? 'book.day_one_free' : 'book.day_free', { date: format.longDate(iso), n: free })
        : t('book.day_none', { date: format.longDate(iso) });
      const b = h('button', {
        type: 'button', class: `day${free ? ' free' : ''}${iso === today ? ' today' : ''}`,
        'data-date': iso, 'aria-label': label, 'aria-pressed': iso === chosenDate ? 'true' : 'false',
        disabled: !free,
      }, h('span', { class: 'day-num' }, String(d)), free ? h('span', { class: 'day-dot', 'aria-hidden': 'true' }) : null);
      b.addEventListener('click', () => chooseDay(iso, true));
      cells.push(b);
    }
    clear(grid, cells);
  }

  async function chooseDay(iso, focus) {
    chosenDate = iso;
    for (const b of grid.querySelectorAll('button[data-date]')) b.setAttribute('aria-pressed', b.dataset.date === iso ? 'true' : 'false');
    placeholder.hidden = true;
    timesHeading.hidden = false;
    timesHeading.textContent = t('book.times_heading', { date: format.longDate(iso) });
    times.setAttribute('aria-busy', 'true');
    let slots = [];
    try {
      const q = new URLSearchParams({ date: iso, service: service.code });
      if (resource) q.set('resource', resource);
      slots = (await api(`/v1/availability?${q}`)).slots;
      timesNote.replaceChildren();
    } catch (e) {
      say(timesNote, 'error', problemText(e));
    }
    times.removeAttribute('aria-busy');
    clear(times, slots.map((s) => {
      const b = h('button', { type: 'button', class: 'time', 'data-start': s.start, 'aria-pressed': s.start === chosenStart ? 'true' : 'false' },
        format.time(s.start));
      b.addEventListener('click', () => {
        chosenStart = s.start;
        for (const x of times.querySelectorAll('button')) x.setAttribute('aria-pressed', x === b ? 'true' : 'false');
        live.textContent = t('book.time_chosen', { time: format.time(s.start) });
        onChoose(s, iso);
      });
      return h('li', {}, b);
    }));
    if (!slots.length && !timesNote.firstChild) timesNote.append(h('p', { class: 'muted' }, t('book.no_times')));
    // The day's count in the month view follows what the day says now.
    const dayButton = grid.querySelector(`button[data-date="${iso}"]`);
    if (dayButton && !slots.length) dayButton.disabled = true;
    if (focus) {
      live.textContent = t('book.day_chosen', { date: format.longDate(iso), n: slots.length });
      focusHeading(timesHeading);
    }
    return slots;
  }

  showMonth(first);

  // Opens a date's month and day, and chooses start there if it is still free.
  async function open(dateIso, startIso) {
    if (dateIso < today || dateIso > lastDay) return;
    await showMonth(monthOf(dateIso));
    await chooseDay(dateIso, false);
    const b = times.querySelector(`button[data-start="${CSS.escape(startIso)}"]`);
    if (b) b.click();
    else timesHeading.focus?.();
  }

  return {
    open,
    el,
    // The chosen day's times again (after a time was taken meanwhile).
    refreshDay: () => (chosenDate ? chooseDay(chosenDate, false) : Promise.resolve([])),
    clearChoice: () => {
      chosenStart = null;
      for (const x of times.querySelectorAll('button')) x.setAttribute('aria-pressed', 'false');
    },
    focusTimes: () => focusHeading(timesHeading),
    get date() { return chosenDate; },
    lang,
  };
}
