-- wrk script of wrk.sh: POSTs the SOAP body of the file WRK_BODY with the SOAPAction
-- WRK_ACTION, and prints one RESULT line when done.
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '"urn:engage:contactcenter:1/' .. os.getenv("WRK_ACTION") .. '"'

done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50_ms=%.2f p99_ms=%.2f non-2xx=%d errors=%d\n",
    summary.requests / summary.duration * 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
