-- bench/scale's requests (copied beside ../shared/bench/lua/common.lua, whose
-- counters and JSON line it uses). SCALE_KIND chooses them, SCALE_TOKEN is the
-- bearer token and SCALE_FILE holds one value a line:
--   pages   GET /v1/bookings?limit=100[&cursor=C]: C is each line in turn (an
--           empty line: the first page), so that every round reads one
--           customer's bookings from the first page to the last
--   day     GET /v1/bookings?from=D&to=D&limit=500 for a random prepared date
--   cancel  POST /v1/bookings/ID/cancel, ID each line once (expected 200)
--   days    GET /v1/availability/days?month=M&service=S (anyone: the month
--           view) for the month of a random prepared date and a random service
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

local kind, token = os.getenv("SCALE_KIND"), os.getenv("SCALE_TOKEN")
local lines, next_line, step = {}, 1, 1

common.scenario("scale-" .. tostring(kind), {
  init = function(d)
    local path = os.getenv("SCALE_FILE")
    if path and path ~= "" then
      for line in io.lines(path) do
        lines[#lines + 1] = line
      end
    end
    if (kind == "pages" or kind == "cancel") and #lines == 0 then
      error("bench/lua/scale.lua: SCALE_FILE has no lines for " .. tostring(kind))
    end
    -- threads take turns through the lines (thread_id is set by common.lua)
    step = tonumber(os.getenv("SCALE_THREADS") or "1")
    next_line = thread_id or 1
  end,
  request = function(d)
    local headers = common.json_headers(token)
    if kind == "pages" then
      local cursor = lines[(next_line - 1) % #lines + 1]
      next_line = next_line + step
      return wrk.format("GET", "/v1/bookings?limit=100" ..
        (cursor ~= "" and ("&cursor=" .. cursor) or ""), headers)
    elseif kind == "day" then
      local date = common.pick(d.dates)
      return wrk.format("GET", "/v1/bookings?from=" .. date .. "&to=" .. date .. "&limit=500", headers)
    elseif kind == "cancel" then
      local id = lines[(next_line - 1) % #lines + 1]
      next_line = next_line + step
      return wrk.format("POST", "/v1/bookings/" .. id .. "/cancel", headers, "")
    elseif kind == "days" then
      return wrk.format("GET", "/v1/availability/days?month=" .. common.pick(d.dates):sub(1, 7) ..
        "&service=" .. common.pick(d.services))
    end
    error("bench/lua/scale.lua: SCALE_KIND must be pages, day, cancel or days")
  end,
})
