-- wrk: GET /v1/bookings/{1..1000} with a random, well-formed manage token
-- (a wrong MAC), as a guesser would send them. Every answer is 401 or 429.
math.randomseed(os.time())
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function token()
    local t = {}
    for i = 1, 43 do
        local k = math.random(1, #chars)
        t[i] = chars:sub(k, k)
    end
    return "bm_" .. table.concat(t)
end
unexpected = 0
request = function()
    return wrk.format("GET", "/v1/bookings/" .. math.random(1, 1000), {["Authorization"] = "Bearer " .. token()})
end
response = function(status)
    if status ~= 401 and status ~= 429 then unexpected = unexpected + 1 end
end
