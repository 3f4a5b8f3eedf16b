// /reset and /sign-in: finishing what an email's link started. The secret
// comes after '#' (never sent to the server in the URL) and leaves the
// address bar at once.
import { api, services, keepSession, takeLinkSecret, ApiError } from './api.js';
import { h, t, clear, say, format, focusHeading, problemText } from './ui.js';
import { field, accountChooser } from './account.js';
import { pendingChoice } from './book.js';

// Back to the booking under way, if there was one ("Continue booking
// Follow-up treatment on Thursday 3 December at 10:00"), and My bookings.
function continueLinks() {
  const p = pendingChoice();
  const mine = h('a', { class: `button ${p ? 'secondary' : 'primary'}`, href: '/bookings' }, t('signin.to_bookings'));
  if (!p) return h('div', { class: 'actions' }, mine);
  const back = h('a', { class: 'button primary', href: `/book/${encodeURIComponent(p.service)}?start=${encodeURIComponent(p.start)}` }, t('signin.continue'));
  services().then((list) => {
    const s = list.find((x) => x.code === p.service);
    if (s) back.textContent = t('signin.continue_to', { service: s.name, date: format.longDate(format.dateOfInstant(p.start)), time: format.time(p.start) });
  }).catch(() => {});
  return h('div', { class: 'actions' }, back, mine);
}

export async function signInPage(main) {
  const secret = takeLinkSecret('sl_');
  const region = h('div', { class: 'form-messages' });
  const heading = h('h1', {}, t(secret ? 'signin.link_heading' : 'signin.heading'));
  const card = h('section', { class: 'card narrow' }, heading, region);
  clear(main, card);
  if (secret) {
    try {
      keepSession(await api('/v1/auth/sign-in-link/confirm', { method: 'POST', body: { token: secret } }));
      heading.textContent = t('signin.heading');
      say(region, 'ok', t('signin.done'));
      card.append(continueLinks());
      focusHeading(heading);
      return;
    } catch (e) {
      say(region, 'error', e instanceof ApiError && e.status === 422 ? t('signin.bad_link') : problemText(e));
      heading.textContent = t('signin.heading');
    }
  }
  card.append(signInForm(region, () => {
    say(region, 'ok', t('signin.done'));
    card.replaceChildren(heading, region, continueLinks());
  }));
}

// Email + Password (or a sign-in link) and a Sign in button.
export function signInForm(region, onSignedIn) {
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('signin.submit'));
  const account = accountChooser({ modes: ['existing', 'link'], legend: 'signin.mode_legend', region, onModeChange: (m) => { submit.hidden = m === 'link'; } });
  const form = h('form', { class: 'signin-form', novalidate: true }, account.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      if (await account.ensure()) onSignedIn();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function resetPage(main) {
  const secret = takeLinkSecret('rt_');
  const region = h('div', { class: 'form-messages' });
  const heading = h('h1', {}, t('reset.heading'));
  const card = h('section', { class: 'card narrow' }, heading, region);
  clear(main, card);
  if (!secret) {
    say(region, 'error', t('reset.bad_link'));
    card.append(h('p', {}, h('a', { href: '/sign-in' }, t('signin.heading'))));
    return;
  }
  const password = field({ label: t('account.password'), type: 'password', name: 'password', autocomplete: 'new-password', hint: t('account.password_new_hint'), maxlength: 1024 });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('reset.submit'));
  const form = h('form', { novalidate: true }, h('p', {}, t('reset.lead')), password.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    password.error('');
    if (password.value.length < 8) {
      password.error(`${t('account.password')}: ${t('account.password_new_hint')}`);
      password.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      keepSession(await api('/v1/auth/password-reset/confirm', { method: 'POST', body: { token: secret, password: password.value } }));
      form.remove();
      say(region, 'ok', t('reset.done'));
      card.append(continueLinks());
      focusHeading(heading);
    } catch (e) {
      submit.disabled = false;
      if (e instanceof ApiError && e.field('token')) {
        form.remove();
        say(region, 'error', t('reset.bad_link'));
        card.append(h('p', {}, h('a', { href: '/sign-in' }, t('signin.heading'))));
      } else if (e instanceof ApiError && e.field('password')) {
        password.error(`${t('account.password')}: ${e.field('password')}`);
      } else {
        say(region, 'error', problemText(e));
      }
    }
  });
  card.append(form);
  password.input.focus();
}
