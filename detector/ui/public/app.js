// The dashboard's spine: a hash router (#/alerts, #/alerts/:id, #/keys, #/keys/:key_id), the
// token form shown whenever the API answers 401, and polling for live updates.
import { AuthError, api, token } from './api.js';
import { alertPage } from './alert-page.js';
import { alertsPage } from './alerts-page.js';
import { keyPage, keysPage } from './keys-page.js';

const { h } = globalThis.LowslowAlertView;
const view = document.getElementById('view');
const live = document.getElementById('live');
const signout = document.getElementById('signout');
let cleanup = () => {};

function tokenForm(reason) {
  cleanup();
  cleanup = () => {};
  live.hidden = true;
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, placeholder: 'read or admin token' });
  const form = h(
    'form',
    { class: 'card token' },
    h('h2', {}, 'API token'),
    h('p', { class: 'note' }, reason, ' The token stays in this tab (sessionStorage) and is sent as Authorization: Bearer.'),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Continue'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    token.set(input.value.trim());
    route();
  });
  view.replaceChildren(form);
  input.focus();
}

/** Shows API failures: a 401 asks for a token, anything else is a message above the page. */
function guard(promise) {
  return promise.catch((err) => {
    if (err instanceof AuthError) return tokenForm(token.get() ? 'That token was refused.' : 'This detector needs a token.');
    const old = view.querySelector('.message.error.load');
    const m = old ?? h('div', { class: 'message error load', role: 'alert' });
    m.textContent = err.message;
    if (!old) view.prepend(m);
  });
}

/** Runs `load` now and every `ms` while the page is shown; returns the stop function. */
function poll(load, ms) {
  let stopped = false;
  let timer;
  const tick = async () => {
    const ok = await guard(load().then(() => true));
    if (stopped) return;
    live.hidden = false;
    live.className = ok === true ? 'live' : 'live off';
    live.textContent = ok === true ? `live · ${new Date().toLocaleTimeString()}` : 'not updating';
    if (ok === true || view.querySelector('.message.error')) timer = setTimeout(tick, ms);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    live.hidden = true;
  };
}

function route() {
  cleanup();
  const [path, query] = (location.hash.slice(1) || '/alerts').split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean);
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === parts[0]);
  signout.hidden = !token.get();
  const ctx = { guard, poll };
  if (parts[0] === 'alerts' && parts[1]) cleanup = alertPage(view, parts[1], ctx);
  else if (parts[0] === 'keys' && parts[1]) cleanup = keyPage(view, parts[1], ctx);
  else if (parts[0] === 'keys') cleanup = keysPage(view, ctx);
  else cleanup = alertsPage(view, params, ctx);
}

signout.addEventListener('click', () => {
  token.clear();
  tokenForm('Token forgotten.');
  signout.hidden = true;
});
window.addEventListener('hashchange', route);
// One cheap call first: an API that needs a token shows the form before any page is drawn.
api('/v1/alerts?limit=1').then(route, (err) => (err instanceof AuthError ? tokenForm('This detector needs a token.') : route()));
