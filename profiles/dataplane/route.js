// Classify the request path like nginx-native.conf's map: api, static or web.
function classify(r) {
  const uri = r.variables.request_uri || '/';
  if (/^\/api\//.test(uri)) return 'api';
  if (/^\/static\//.test(uri)) return 'static';
  return 'web';
}

export default { classify };
