// The booking site: one document for every page; the path says which.
import { api, services, session, signOut, manageToken, keepManageToken, takeLinkSecret, ApiError } from './api.js';
import { h, t, clear, say, format, setBusiness, getBusiness, loadStrings, focusHeading, problemText } from './ui.js';

const main = document.getElementById('main');

function translateStatic() {
  for (const el of document.querySelectorAll('[data-text]')) el.textContent = t(el.dataset.text);
}

function renderNav() {
  const nav = document.getElementById('nav');
  const here = location.pathname;
  const link = (href, key) => h('a', { href, 'aria-current': here === href ? 'page' : undefined }, t(key));
  const items = [link('/', 'nav.book'), link('/bookings', 'nav.bookings')];
  if (session()) {
    const out = h('button', { type: 'button', class: 'nav-button' }, t('nav.sign_out'));
    out.addEventListener('click', () => {
      signOut();
      location.assign('/');
    });
    items.push(out);
  }
  clear(nav, items);
}

async function homePage() {
  const offered = await services();
  const biz = getBusiness();
  const list = offered.length
    ? h('ul', { class: 'services' }, offered.map((s) => h('li', {},
      h('a', { class: 'service', href: `/book/${encodeURIComponent(s.code)}` },
        h('span', { class: 'service-main' },
          h('span', { class: 'service-name' }, s.name),
          s.description ? h('span', { class: 'service-desc' }, s.description) : null),
        h('span', { class: 'service-side' },
          h('span', { class: 'service-duration' }, format.duration(s.duration_minutes)),
          h('span', { class: 'service-go', 'aria-hidden': 'true' }, `${t('home.choose')} →`))))))
    : h('p', { class: 'muted' }, t('home.none'));
  clear(main,
    h('header', { class: 'page-head hero' },
      h('h1', {}, biz.name),
      h('p', { class: 'lead' }, t('home.lead'))),
    list);
}

async function bookingsPage() {
  const { bookingCard, serviceMap } = await import('./bookings.js');
  const s = session();
  if (!s) {
    const { signInForm } = await import('./links.js');
    const region = h('div', { class: 'form-messages' });
    const heading = h('h1', {}, t('bookings.heading'));
    clear(main, h('section', { class: 'card narrow' }, heading, h('p', {}, t('signin.lead')), region,
      signInForm(region, () => { renderNav(); bookingsPage(); })));
    return;
  }
  const [services, answer] = await Promise.all([serviceMap(), api('/v1/bookings?limit=500', { token: s.token })]);
  const now = Date.now();
  const upcoming = answer.bookings.filter((b) => Date.parse(b.end) > now && b.status === 'confirmed');
  const past = answer.bookings.filter((b) => !upcoming.includes(b)).reverse();
  const heading = h('h1', {}, t('bookings.heading'));
  const card = (b) => bookingCard(b, { token: s.token, services });
  clear(main,
    h('header', { class: 'page-head' }, heading, h('p', { class: 'muted' }, t('bookings.signed_in_as', { name: s.user.name, email: s.user.email }))),
    h('section', { 'aria-labelledby': 'upcoming' },
      h('h2', { id: 'upcoming' }, t('bookings.upcoming')),
      upcoming.length ? h('div', { class: 'booking-list' }, upcoming.map(card))
        : h('p', { class: 'muted' }, t('bookings.none_upcoming'), ' ', h('a', { href: '/' }, t('bookings.book_now')))),
    h('section', { 'aria-labelledby': 'past' },
      h('h2', { id: 'past' }, t('bookings.past')),
      past.length ? h('div', { class: 'booking-list' }, past.map(card)) : h('p', { class: 'muted' }, t('bookings.none_past'))));
}

async function managePage(id) {
  const { bookingCard, serviceMap } = await import('./bookings.js');
  const secret = takeLinkSecret('bm_');
  if (secret) keepManageToken(id, secret);
  const token = manageToken(id);
  const heading = h('h1', {}, t('manage.heading'));
  const region = h('div', {});
  clear(main, h('header', { class: 'page-head' }, heading), region);
  if (!token) return say(region, 'error', t('manage.bad_link'));
  try {
    const [services, booking] = await Promise.all([serviceMap(), api(`/v1/bookings/${id}`, { token })]);
    main.append(bookingCard(booking, { token, services, headingLevel: 'h2' }));
  } catch (e) {
    say(region, 'error', e instanceof ApiError && (e.status === 401 || e.status === 404) ? t('manage.bad_link') : problemText(e));
  }
}

function notFound() {
  document.title = `${t('notfound.heading')} · ${getBusiness().name}`;
  clear(main, h('section', { class: 'card narrow' }, h('h1', {}, t('notfound.heading')), h('p', {}, t('notfound.lead')),
    h('p', {}, h('a', { href: '/' }, t('book.back')))));
}

async function route() {
  const path = location.pathname;
  let m;
  if (path === '/') return homePage();
  if ((m = path.match(/^\/book\/([^/]+)$/))) {
    const { bookPage } = await import('./book.js');
    return bookPage(main, decodeURIComponent(m[1]));
  }
  if (path === '/bookings') return bookingsPage();
  if ((m = path.match(/^\/manage\/(\d+)$/))) return managePage(m[1]);
  if (path === '/reset') return (await import('./links.js')).resetPage(main);
  if (path === '/sign-in') return (await import('./links.js')).signInPage(main);
  return notFound();
}

// What the page needs is asked for at once, before the strings and the
// business have arrived: its data and its module (else each waited for the
// one before: strings and business, then the services, then book.js and its
// imports, then the month).
function askEarly(path) {
  const quiet = (p) => p.catch(() => {});  // failures are shown where it is awaited
  quiet(services());  // preloaded by index.html; every page uses them (/reset and /sign-in name the booking under way)
  const load = (...names) => names.forEach((n) => quiet(import(`./${n}.js`)));  // with their imports at once
  if (path.startsWith('/book/')) load('book', 'picker', 'account');
  if (path === '/bookings' || path.startsWith('/manage/')) load('bookings', 'picker');
  if (path === '/reset' || path === '/sign-in' || (path === '/bookings' && !session())) load('links', 'account', 'book');
}

async function start() {
  askEarly(location.pathname);
  try {
    const [, biz] = await Promise.all([loadStrings(), api('/v1/business')]);
    setBusiness(biz);
    translateStatic();
    document.title = `${t('title')} · ${biz.name}`;
    document.getElementById('business-name').textContent = biz.name;
    document.getElementById('footer-zone').textContent = t('footer', { zone: format.zoneCity(), time_zone: biz.time_zone });
    renderNav();
    await route();
  } catch (e) {
    clear(main, h('p', { role: 'alert', class: 'msg msg-error' }, problemText(e instanceof ApiError ? e : new ApiError(0, null))));
    if (!(e instanceof ApiError)) console.error(e);
  }
  if (main.dataset.ready !== undefined) return;
  main.dataset.ready = '';
}

start();
