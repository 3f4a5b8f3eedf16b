// /book/{service}: month view → the day's times → the form → confirmation.
import { api, services as listServices, session, newIdempotencyKey, downloadIcs, ApiError } from './api.js';
import { h, t, clear, say, format, getBusiness, deviceZoneDiffers, focusHeading, problemText } from './ui.js';
import { createPicker } from './picker.js';
import { accountChooser, field, signedInAs } from './account.js';

const PENDING = 'bookingd.pending';  // the choice to come back to after a sign-in link (no secret)

export function rememberPending(service, start) {
  localStorage.setItem(PENDING, JSON.stringify({ service, start, at: Date.now() }));
}
export function pendingChoice() {
  try {
    const p = JSON.parse(localStorage.getItem(PENDING));
    return p && Date.now() - p.at < 3600000 ? p : null;
  } catch {
    return null;
  }
}
function forgetPending() {
  localStorage.removeItem(PENDING);
}

export function zoneNote() {
  const biz = getBusiness();
  const zone = format.zoneCity();
  const notes = [h('p', { class: 'zone' }, t('book.zone', { zone, abbr: `${biz.time_zone}, ${format.zoneAbbr()}` }))];
  const device = deviceZoneDiffers();
  if (device) notes.push(h('p', { class: 'zone zone-warn' }, t('book.zone_differs', { device: `${format.zoneCity(device)} (${device})`, zone })));
  return h('div', { class: 'zone-notes' }, notes);
}

export async function bookPage(main, code) {
  const service = (await listServices()).find((s) => s.code === code);
  if (!service) {
    clear(main, h('section', { class: 'card' },
      h('h1', {}, t('notfound.heading')),
      h('p', { role: 'alert', class: 'msg msg-error' }, t('book.unknown')),
      h('p', {}, h('a', { href: '/' }, t('book.back')))));
    return;
  }
  document.title = `${service.name} · ${getBusiness().name}`;
  const params = new URLSearchParams(location.search);
  const preset = params.get('start');

  const result = h('div', { class: 'result' });
  const details = h('section', { class: 'card step', hidden: true, 'aria-labelledby': 'step-details' });
  let chosen = null;

  const picker = createPicker({
    service,
    idPrefix: 'book',
    onChoose: (slot, date) => {
      chosen = { slot, date };
      result.replaceChildren();
      renderDetails();
      details.hidden = false;
      details.scrollIntoView({ block: 'start', behavior: 'smooth' });
      focusHeading(details.querySelector('h2'));
    },
  });

  clear(main,
    h('p', { class: 'crumb' }, h('a', { href: '/' }, `← ${t('book.back')}`)),
    h('header', { class: 'page-head' },
      h('h1', {}, service.name),
      h('p', { class: 'meta' }, format.duration(service.duration_minutes)),
      service.description ? h('p', { class: 'description' }, service.description) : null),
    h('section', { class: 'card step', 'aria-labelledby': 'step-day' },
      h('h2', { id: 'step-day' }, t('book.step_day')), zoneNote(), result, picker.el),
    details);

  if (preset && !Number.isNaN(Date.parse(preset))) picker.open(format.dateOfInstant(preset), preset);

  function renderDetails() {
    const { slot, date } = chosen;
    const time = format.time(slot.start);
    const region = h('div', { class: 'form-messages' });
    const notes = field({ label: t('account.notes'), name: 'notes', hint: t('account.notes_hint'), required: false, multiline: true, maxlength: 1000 });
    const submit = h('button', { type: 'submit', class: 'button primary' }, t('book.submit', { time }));
    let account = null;
    const who = signedInAs(() => renderDetails());
    if (!who) {
      account = accountChooser({
        region,
        onModeChange: (m) => { submit.hidden = m === 'link'; },
        onLinkSent: () => rememberPending(service.code, slot.start),
      });
    }
    const change = h('button', { type: 'button', class: 'link-button' }, t('book.change_time'));
    change.addEventListener('click', () => picker.focusTimes());
    const form = h('form', { class: 'book-form', novalidate: true },
      h('p', { class: 'summary' },
        t('book.summary', { service: service.name, date: format.longDate(date), time, abbr: format.zoneAbbr(slot.start) }), ' ', change),
      who, account ? account.el : null, notes.el, region,
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      const label = submit.textContent;
      submit.textContent = t('book.submitting');
      try {
        const token = account ? await account.ensure() : session()?.token;
        if (!token) return;
        await book(token, notes, region);
      } finally {
        submit.disabled = false;
        submit.textContent = label;
      }
    });
    clear(details, h('h2', { id: 'step-details' }, t('book.step_details')), form);
  }

  async function book(token, notes, region) {
    const { slot, date } = chosen;
    try {
      const booking = await api('/v1/bookings', {
        method: 'POST', token,
        headers: { 'Idempotency-Key': newIdempotencyKey() },
        body: { service: service.code, start: slot.start, notes: notes.value },
      });
      forgetPending();
      confirmed(booking, token);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || (e.status === 422 && e.field('start')))) {
        // Taken (or no longer offered) between viewing and booking: say so, show the day again.
        const time = format.time(slot.start);
        details.hidden = true;
        chosen = null;
        picker.clearChoice();
        say(result, 'error', t('book.taken', { time, date: format.longDate(date) }));
        await picker.refreshDay();
        picker.focusTimes();
        return;
      }
      if (e instanceof ApiError && e.field('notes')) notes.error(`${t('account.notes')}: ${e.field('notes')}`);
      else say(region, 'error', problemText(e));
    }
  }

  function confirmed(booking, token) {
    const s = session();
    const ics = h('button', { type: 'button', class: 'button primary' }, t('booking.ics'));
    ics.addEventListener('click', () => downloadIcs(booking, token).catch((e) => say(msg, 'error', problemText(e))));
    const msg = h('div', {});
    const heading = h('h1', {}, t('book.confirmed_heading', { service: service.name }));
    clear(main,
      h('section', { class: 'card confirmation' },
        h('p', { role: 'status', class: 'msg msg-ok' }, t('book.confirmed')),
        heading,
        h('dl', { class: 'facts' },
          h('dt', {}, t('booking.when_label')),
          h('dd', {}, t('booking.when', {
            date: format.longDate(format.dateOfInstant(booking.start)), start: format.time(booking.start),
            end: format.time(booking.end), abbr: `${getBusiness().time_zone}, ${format.zoneAbbr(booking.start)}` })),
          h('dt', {}, t('booking.number_label')), h('dd', {}, String(booking.id))),
        s ? h('p', {}, t('book.confirmed_email', { email: s.user.email })) : null,
        h('p', {}, t('book.manage_hint')),
        h('div', { class: 'actions' }, ics,
          h('a', { class: 'button secondary', href: '/bookings' }, t('nav.bookings')),
          h('a', { class: 'button secondary', href: '/' }, t('book.another'))),
        msg));
    focusHeading(heading);
  }
}
