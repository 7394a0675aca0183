// One alert: the shared alert view, with acknowledge, resolve and feedback buttons (admin token).
import { AuthError, api, keyProfile } from './api.js';

const { h } = globalThis.LowslowAlertView;

export function alertPage(view, id, ctx) {
  const message = h('div', { class: 'message', hidden: true, role: 'status' });
  const note = h('textarea', { name: 'note', placeholder: 'note for the feedback (optional)', maxlength: 2000, rows: 1 });
  const buttons = {
    ack: h('button', { type: 'button', class: 'primary', 'data-action': 'ack' }, 'Acknowledge'),
    resolve: h('button', { type: 'button', 'data-action': 'resolve' }, 'Resolve'),
    tp: h('button', { type: 'button', 'data-action': 'true_positive' }, 'True positive'),
    fp: h('button', { type: 'button', class: 'danger', 'data-action': 'false_positive' }, 'False positive'),
  };
  const actions = h('div', { class: 'actions card' }, Object.values(buttons), note);
  const body = h('div');
  view.replaceChildren(h('p', {}, h('a', { href: '#/alerts' }, '← all alerts')), message, actions, body);
  let rendered = null;

  const show = (alert, profile) => {
    rendered?.destroy();
    const timeline = profile ? profile.recent_scores : [];
    rendered = globalThis.LowslowAlertView.render(body, { alert, profile, timeline, events: null });
    buttons.ack.disabled = alert.status !== 'open';
    buttons.resolve.disabled = alert.status === 'resolved' || alert.status === 'false_positive';
    buttons.tp.disabled = buttons.fp.disabled = alert.status === 'false_positive' || alert.feedback !== undefined;
  };
  const say = (text, error = false) => {
    message.hidden = false;
    message.className = `message${error ? ' error' : ''}`;
    message.textContent = text;
  };

  async function load() {
    const alert = await api(`/v1/alerts/${id}`);
    show(alert, await keyProfile(alert.key_id));
  }

  async function act(kind) {
    Object.values(buttons).forEach((b) => (b.disabled = true));
    try {
      const alert =
        kind === 'ack' || kind === 'resolve'
          ? await api(`/v1/alerts/${id}/${kind}`, { method: 'POST', body: {} })
          : await api(`/v1/alerts/${id}/feedback`, { method: 'POST', body: { verdict: kind, note: note.value } });
      say(`Alert is now ${alert.status.replace('_', ' ')}.`);
      show(alert, await keyProfile(alert.key_id));
    } catch (err) {
      // 401: the token form; anything else (403 for a read token, 409) is said above the alert.
      if (err instanceof AuthError) return void ctx.guard(Promise.reject(err));
      say(err.message, true);
      await load().catch(() => {});
    }
  }
  for (const b of Object.values(buttons)) b.addEventListener('click', () => void act(b.dataset.action));
  void ctx.guard(load());
  return () => rendered?.destroy();
}
