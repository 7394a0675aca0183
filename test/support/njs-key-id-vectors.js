/*
 * js_content handler used by test/integration/nginx-plugin.test.ts: POST a JSON array of
 * {secret, key} and get back the key_ids the lowslow njs module computes for them, inside nginx.
 */
import lowslow from 'lowslow/lowslow.js';

function key_ids(r) {
  var vectors = JSON.parse(r.requestText);
  r.return(200, JSON.stringify(vectors.map(function (v) {
    return lowslow.keyIdOf(v.secret, v.key);
  })));
}

export default { key_ids: key_ids };
