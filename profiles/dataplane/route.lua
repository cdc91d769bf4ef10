-- Classify the request path like haproxy-native.cfg: api, static or web.
core.register_action("classify_route", { "http-req" }, function(txn)
  local path = txn.sf:path() or "/"
  local class = "web"
  if string.match(path, "^/api/") then
    class = "api"
  elseif string.match(path, "^/static/") then
    class = "static"
  end
  txn:set_var("txn.route_class", class)
end)
