// The public API, called with the bearer token kept in sessionStorage (entered once per tab).
const TOKEN = 'lowslow.token';

export class AuthError extends Error {}

export const token = {
  get: () => sessionStorage.getItem(TOKEN) ?? '',
  set: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
};

/** GET (or POST with `body`) an API path; resolves with the JSON body, throws with its message. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) throw new AuthError(json.message ?? 'a token is needed');
  if (!res.ok) throw new Error(json.message ?? `${method} ${path}: HTTP ${res.status}`);
  return json;
}

/** The key's profile summary, or null when the key has none (404) or keys are not served. */
export async function keyProfile(keyId) {
  try {
    return await api(`/v1/keys/${keyId}`);
  } catch (err) {
    if (err instanceof AuthError) throw err;
    return null;
  }
}
