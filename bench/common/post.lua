-- wrk script: POST a chat completion (BODY_FILE) with the Authorization header from AUTH and any
-- extra headers from EXTRA_HEADERS ("Name: value" pairs separated by "|", e.g. for Portkey).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth and #auth > 0 then wrk.headers["Authorization"] = auth end
local extra = os.getenv("EXTRA_HEADERS")
if extra and #extra > 0 then
  for pair in string.gmatch(extra, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
    if name then wrk.headers[name] = value end
  end
end
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = f:read("*a")
f:close()
