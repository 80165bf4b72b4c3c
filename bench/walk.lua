-- wrk script for bench/throughput.py: each request takes the next path of a list, so that no
-- two requests of a run ask the same question. The list file is passed after "--"; threads
-- walk disjoint strides of it. At the end one line gives what throughput.py reads.
local paths = {}
local next_index, stride = 1, 1
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      table.insert(paths, line)
    end
  end
  next_index = id
  stride = tonumber(args[2])
end

function request()
  local path = paths[((next_index - 1) % #paths) + 1]
  next_index = next_index + stride
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WALK requests=%d p50=%d p95=%d p99=%d status_errors=%d socket_errors=%d\n",
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout
  ))
end
