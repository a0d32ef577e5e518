-- wrk script: POSTs the file named by $BODY to $PATHNAME (default /v1/gradients) and reports
-- latency percentiles and the count of non-2xx answers.
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.path = os.getenv("PATHNAME") or "/v1/gradients"

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("throughput_rps %.1f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency_p%s_ms %.3f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("non2xx %d\n", non2xx))
  io.write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
