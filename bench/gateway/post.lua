-- wrk script: POST a chat completion (BODY_FILE) with the Authorization header from AUTH.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth and #auth > 0 then wrk.headers["Authorization"] = auth end
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = f:read("*a")
f:close()
