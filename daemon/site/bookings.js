// A booking with what its customer may still do to it (SPEC §7 /bookings and
// /manage/{id}): cancel and reschedule while the notice rules allow, else why not.
import { api, services as listServices, downloadIcs, ApiError } from './api.js';
import { h, t, clear, say, format, getBusiness, focusHeading, problemText } from './ui.js';
import { createPicker } from './picker.js';

let cards = 0;

// booking: the API object; token: the JWT or manage token; services: code → service.
export function bookingCard(booking, { token, services, headingLevel = 'h3' }) {
  const n = ++cards;
  const el = h('article', { class: 'booking card', 'aria-labelledby': `booking-${n}` });
  const messages = h('div', { class: 'card-messages' });
  render(booking);
  return el;

  function render(b, focus = false) {
    const biz = getBusiness();
    const service = services.get(b.service);
    const now = Date.now();
    const start = Date.parse(b.start);
    const cancelOpen = now < start - biz.cancel_notice_minutes * 60000;
    const rescheduleOpen = now < start - biz.reschedule_notice_minutes * 60000;
    const confirmed = b.status === 'confirmed';
    const past = Date.parse(b.end) <= now;
    const title = h(headingLevel, { id: `booking-${n}` }, service ? service.name : b.service);
    const actions = h('div', { class: 'actions' });
    const panel = h('div', { class: 'card-panel' });
    const why = [];

    if (confirmed && !past) {
      const ics = h('button', { type: 'button', class: 'button secondary' }, t('booking.ics'));
      ics.addEventListener('click', () => downloadIcs(b, token).catch((e) => say(messages, 'error', problemText(e))));
      actions.append(ics);
      if (rescheduleOpen && service) {
        const move = h('button', { type: 'button', class: 'button secondary', 'aria-expanded': 'false' }, t('booking.reschedule'));
        move.addEventListener('click', () => openReschedule(b, service, move, panel));
        actions.append(move);
      }
      if (cancelOpen) {
        const cancel = h('button', { type: 'button', class: 'button danger' }, t('booking.cancel'));
        cancel.addEventListener('click', () => askCancel(b, panel));
        actions.append(cancel);
      }
      if (!cancelOpen && !rescheduleOpen) why.push(t('booking.too_late_both', { notice: format.notice(Math.min(biz.cancel_notice_minutes, biz.reschedule_notice_minutes)) }));
      else if (!cancelOpen) why.push(t('booking.too_late_cancel', { notice: format.notice(biz.cancel_notice_minutes) }));
      else if (!rescheduleOpen) why.push(t('booking.too_late_reschedule', { notice: format.notice(biz.reschedule_notice_minutes) }));
    } else if (confirmed && past) {
      why.push(t('booking.past'));
    } else if (!confirmed && service && service.active !== false) {
      actions.append(h('a', { class: 'button secondary', href: `/book/${encodeURIComponent(service.code)}` }, t('booking.book_again')));
    }

    const date = format.dateOfInstant(b.start);
    clear(el,
      h('div', { class: 'booking-head' }, title,
        h('span', { class: `badge badge-${b.status}` }, t(`booking.status.${b.status}`))),
      h('p', { class: 'when' }, t('booking.when', {
        date: format.longDate(date), start: format.time(b.start), end: format.time(b.end),
        abbr: `${biz.time_zone}, ${format.zoneAbbr(b.start)}` })),
      h('p', { class: 'muted' }, t('booking.number', { id: b.id })),
      b.notes ? h('p', { class: 'notes' }, t('booking.notes', { notes: b.notes })) : null,
      why.map((w) => h('p', { class: 'why' }, w)),
      actions, panel, messages);
    if (focus) focusHeading(title);
  }

  function askCancel(b, panel) {
    const yes = h('button', { type: 'button', class: 'button danger' }, t('booking.cancel_yes'));
    const no = h('button', { type: 'button', class: 'button secondary' }, t('booking.cancel_no'));
    const question = h('p', { class: 'confirm-q', id: `cancel-q-${n}` }, t('booking.cancel_confirm'));
    clear(panel, h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `cancel-q-${n}` }, question, h('div', { class: 'actions' }, yes, no)));
    no.addEventListener('click', () => { panel.replaceChildren(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        const updated = await api(`/v1/bookings/${b.id}/cancel`, { method: 'POST', token });
        render(updated);
        say(messages, 'ok', t('booking.cancelled'));
      } catch (e) {
        yes.disabled = false;
        say(messages, 'error', refusal(e));
      }
    });
    yes.focus();
  }

  function openReschedule(b, service, button, panel) {
    if (button.getAttribute('aria-expanded') === 'true') {
      button.setAttribute('aria-expanded', 'false');
      panel.replaceChildren();
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    const submitBox = h('div', { class: 'actions' });
    const close = h('button', { type: 'button', class: 'button secondary' }, t('booking.reschedule_close'));
    close.addEventListener('click', () => { button.setAttribute('aria-expanded', 'false'); panel.replaceChildren(); button.focus(); });
    const heading = h('h4', {}, t('booking.reschedule_heading'));
    const picker = createPicker({
      service, idPrefix: `move-${n}`,
      onChoose: (slot, date) => {
        const go = h('button', { type: 'button', class: 'button primary' }, t('booking.reschedule_submit', { time: `${format.shortDate(date)} ${format.time(slot.start)}` }));
        go.addEventListener('click', async () => {
          go.disabled = true;
          try {
            const updated = await api(`/v1/bookings/${b.id}/reschedule`, { method: 'POST', token, body: { start: slot.start } });
            render(updated, true);
            say(messages, 'ok', t('booking.rescheduled', { date: format.longDate(format.dateOfInstant(updated.start)), time: format.time(updated.start) }));
          } catch (e) {
            go.disabled = false;
            if (e instanceof ApiError && e.status === 409 && Date.now() < Date.parse(b.start) - getBusiness().reschedule_notice_minutes * 60000) {
              say(messages, 'error', t('book.taken', { time: format.time(slot.start), date: format.longDate(date) }));
              submitBox.replaceChildren(close);
              picker.clearChoice();
              await picker.refreshDay();
              picker.focusTimes();
            } else {
              say(messages, 'error', refusal(e));
            }
          }
        });
        clear(submitBox, go, close);
        go.focus();
      },
    });
    submitBox.append(close);
    clear(panel, h('div', { class: 'reschedule' }, heading, picker.el, submitBox));
    focusHeading(heading);
  }
}

function refusal(e) {
  if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429)
    return t('booking.refused', { detail: e.message });
  return problemText(e);
}

export async function serviceMap() {
  return new Map((await listServices()).map((s) => [s.code, s]));
}
