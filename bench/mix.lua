-- wrk script for bench/load.sh: every request picks a route from the weighted mix and a
-- signed-in learner at random, and fills the route's placeholders from that learner's line.
--
--   wrk -t2 -c64 -d15s --latency -s bench/mix.lua http://127.0.0.1:18080 -- sessions.csv mix.txt
--
-- sessions.csv: `token,csrf,follow_id,curriculum_id,item_id[,handle[,upstream]]` lines (autodidact
-- seed-load).
-- mix.txt: `WEIGHT METHOD PATH [BODY]` lines, placeholders {token} {csrf} {follow}
-- {curriculum} {item} {handle} {upstream} {today} {pastday} {n}; the same file the fixed-rate generator (loadgen) reads.
-- A POST goes as a form with `Sec-Fetch-Site: same-origin`; every request carries the cookie.

local sessions, routes, total, n = {}, {}, 0, 0
local today = os.date("!%Y-%m-%d")

function init(args)
  -- Each wrk thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000))
  if args[1] and args[1] ~= "-" then
    for line in io.lines(args[1]) do
      -- Five fields, six with the learner's handle, seven with a copy that has an update.
      local t, c, f, cu, i, h, u = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$")
      if not t then
        t, c, f, cu, i, h = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$")
      end
      if not t then
        t, c, f, cu, i = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$")
      end
      if t then
        sessions[#sessions + 1] = { token = t, csrf = c, follow = f, curriculum = cu, item = i, handle = h, upstream = u }
      end
    end
  end
  for line in io.lines(args[2]) do
    line = line:gsub("#.*$", "")
    local w, m, p, b = line:match("^%s*(%d+)%s+(%u+)%s+(%S+)%s*(.-)%s*$")
    if w and tonumber(w) > 0 then
      total = total + tonumber(w)
      routes[#routes + 1] = { method = m, path = p, body = (b ~= "" and b or nil), upto = total }
    end
  end
end

local function fill(text, session)
  return (text:gsub("{(%w+)}", function(key)
    if key == "today" then return today end
    -- A day holds at most 24 h of logs: spread them over the last year.
    if key == "pastday" then return os.date("!%Y-%m-%d", os.time() - (n % 365) * 86400) end
    if key == "n" then return tostring(n) end
    return session and session[key] or nil
  end))
end

function request()
  n = n + 1
  local pick, route = math.random(total), nil
  for _, r in ipairs(routes) do
    if pick <= r.upto then route = r break end
  end
  local session = #sessions > 0 and sessions[math.random(#sessions)] or nil
  local headers = {}
  if session then headers["Cookie"] = "autodidact_session=" .. session.token end
  local body = nil
  if route.body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Sec-Fetch-Site"] = "same-origin"
    body = fill(route.body, session)
  end
  return wrk.format(route.method, fill(route.path, session), headers, body)
end
