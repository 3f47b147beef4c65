-- wrk script for bench/run-http over products bp-0 .. bp-(PRODUCTS-1).
-- Env: STOCKPILE_TOKEN (bearer), PRODUCTS (default 1000), SCENARIO:
--   orders     POST /api/v1/orders with 1-3 random lines (expects 201)
--   inventory  GET /api/v1/products/{random id}/inventory (expects 200)
local token = os.getenv("STOCKPILE_TOKEN")
local products = tonumber(os.getenv("PRODUCTS") or "1000")
local scenario = os.getenv("SCENARIO") or "orders"
local expected = scenario == "orders" and 201 or 200

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or os.time())
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

local function product()
  return "bp-" .. math.random(0, products - 1)
end

function request()
  if scenario == "inventory" then
    return wrk.format("GET", "/api/v1/products/" .. product() .. "/inventory")
  end
  local lines = {}
  for i = 1, math.random(1, 3) do
    lines[i] = string.format('{"productId":"%s","quantity":%d}', product(),
                             math.random(1, 5))
  end
  return wrk.format("POST", "/api/v1/orders", nil,
                    '{"items":[' .. table.concat(lines, ",") .. ']}')
end

local bad = 0
function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
    if bad <= 3 then
      io.stderr:write("status " .. status .. ": " .. body .. "\n")
    end
  end
end
