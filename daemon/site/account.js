// Signing up, signing in and sign-in links, inline wherever a page needs an
// account (the booking form, /bookings, /sign-in). Labels read exactly Email,
// Password, Name (SPEC §7); hints and errors are tied to fields with
// aria-describedby.
import { api, keepSession, session, signOut, ApiError } from './api.js';
import { h, t, say } from './ui.js';

let ids = 0;

// A labelled input: {el, input, error(text)}.
export function field({ label, type = 'text', name, autocomplete, hint, required = true, multiline = false, maxlength }) {
  const id = `f${++ids}`;
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const input = multiline
    ? h('textarea', { id, name, rows: 3, maxlength })
    : h('input', { id, name, type, autocomplete, required, maxlength, spellcheck: type === 'email' ? 'false' : undefined });
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const err = h('p', { class: 'field-error', id: errId });
  const el = h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input, err);
  return {
    el,
    input,
    get value() { return input.value; },
    error(text) {
      err.textContent = text || '';
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

// Where an API refusal belongs: the field it names, else the message region.
function showRefusal(e, fields, region) {
  let placed = false;
  for (const [name, f] of Object.entries(fields)) {
    const m = e instanceof ApiError ? e.field(name) : null;
    if (m && f) {
      f.error(`${f.input.labels[0].textContent}: ${m}`);
      placed = true;
    }
  }
  if (!placed) say(region, 'error', refusalText(e));
  else region.replaceChildren();
}

function refusalText(e) {
  if (!(e instanceof ApiError) || e.status === 0) return t('error.network');
  if (e.status === 409) return t('account.email_taken');
  if (e.status === 401) return t('account.wrong_password');
  if (e.status === 429) return t('account.locked');
  if (e.status === 503) return t('error.busy');
  return t('error.generic', { detail: e.message });
}

// The account part of a form. modes: which of 'new', 'existing', 'link' to
// offer (the first is chosen). Returns {el, ensure(): token or null}.
// ensure() signs up or in as chosen (null after showing why not); in link
// mode it is never ready: the emailed link signs in.
export function accountChooser({ modes = ['new', 'existing', 'link'], legend = 'account.mode_legend', region, onLinkSent, onModeChange }) {
  const name = field({ label: t('account.name'), name: 'name', autocomplete: 'name', maxlength: 200 });
  const email = field({ label: t('account.email'), type: 'email', name: 'email', autocomplete: 'email', maxlength: 254 });
  const password = field({ label: t('account.password'), type: 'password', name: 'password', autocomplete: 'current-password', maxlength: 1024 });
  const hintNew = t('account.password_new_hint');
  const passwordHint = h('p', { class: 'hint', id: `${password.input.id}-hint2` }, hintNew);
  password.input.setAttribute('aria-describedby', `${password.input.id}-hint2 ${password.input.id}-err`);
  password.el.insertBefore(passwordHint, password.input);

  const sendLink = h('button', { type: 'button', class: 'button secondary' }, t('account.send_link'));
  const forgot = h('button', { type: 'button', class: 'link-button' }, t('account.forgot'));
  let mode = modes[0];

  const radios = modes.map((m) => {
    const id = `mode-${m}-${++ids}`;
    const input = h('input', { type: 'radio', name: `mode${ids}`, id, value: m, checked: m === mode });
    input.addEventListener('change', () => setMode(m));
    return h('div', { class: 'choice' }, input, h('label', { for: id }, t(`account.mode_${m}`)));
  });
  const chooser = modes.length > 1
    ? h('fieldset', { class: 'modes' }, h('legend', {}, t(legend)), radios)
    : null;

  const extra = h('div', { class: 'account-extra' }, forgot, sendLink);
  const el = h('div', { class: 'account' }, chooser, name.el, email.el, password.el, extra);

  function setMode(m) {
    mode = m;
    name.el.hidden = m !== 'new';
    name.input.required = m === 'new';
    password.el.hidden = m === 'link';
    password.input.required = m !== 'link';
    password.input.autocomplete = m === 'new' ? 'new-password' : 'current-password';
    passwordHint.hidden = m !== 'new';
    sendLink.hidden = m !== 'link';
    forgot.hidden = m !== 'existing';
    extra.hidden = sendLink.hidden && forgot.hidden;
    for (const f of [name, email, password]) f.error('');
    if (onModeChange) onModeChange(m);
  }
  setMode(mode);

  function emailOk() {
    const v = email.value.trim();
    if (!v || !email.input.checkValidity()) {
      email.error(`${t('account.email')}: ${email.input.validationMessage || 'required'}`);
      email.input.focus();
      return null;
    }
    email.error('');
    return v;
  }

  sendLink.addEventListener('click', async () => {
    const v = emailOk();
    if (!v) return;
    sendLink.disabled = true;
    try {
      await api('/v1/auth/sign-in-link', { method: 'POST', body: { email: v } });
      say(region, 'ok', t('account.link_sent', { email: v }));
      if (onLinkSent) onLinkSent(v);
    } catch (e) {
      say(region, 'error', refusalText(e));
    } finally {
      sendLink.disabled = false;
    }
  });

  forgot.addEventListener('click', async () => {
    const v = emailOk();
    if (!v) return;
    try {
      await api('/v1/auth/password-reset', { method: 'POST', body: { email: v } });
      say(region, 'ok', t('account.reset_sent', { email: v }));
    } catch (e) {
      say(region, 'error', refusalText(e));
    }
  });

  async function ensure() {
    const s = session();
    if (s) return s.token;
    for (const f of [name, email, password]) f.error('');
    if (mode === 'link') return null;
    const v = emailOk();
    if (!v) return null;
    if (mode === 'new' && !name.value.trim()) {
      name.error(`${t('account.name')}: required`);
      name.input.focus();
      return null;
    }
    if (!password.value) {
      password.error(`${t('account.password')}: required`);
      password.input.focus();
      return null;
    }
    try {
      const answer = mode === 'new'
        ? await api('/v1/auth/register', { method: 'POST', body: { email: v, password: password.value, name: name.value.trim() } })
        : await api('/v1/auth/login', { method: 'POST', body: { email: v, password: password.value } });
      keepSession(answer);
      return answer.token;
    } catch (e) {
      showRefusal(e, { email, password, name }, region);
      if (e.status === 409) email.input.focus();
      return null;
    }
  }

  return { el, ensure, get mode() { return mode; } };
}

// "Booking as Ann (ann@example.com). Not you?" for a signed-in customer.
export function signedInAs(onSignOut) {
  const s = session();
  if (!s) return null;
  const out = h('button', { type: 'button', class: 'link-button' }, t('account.not_you'));
  out.addEventListener('click', () => {
    signOut();
    onSignOut();
  });
  return h('p', { class: 'signed-in' }, t('account.as', { name: s.user.name, email: s.user.email }), ' ', out);
}
