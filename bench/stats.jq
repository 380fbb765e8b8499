# The same aggregation `kode stats --json` performs (spec §6.5), streamed with `jq -n -c -f stats.jq <log>`.
def counted: type == "object" and .status != null and
  (.command == null or (.command | IN("verify", "run", "generate", "loop", "mcp:kode_apply_verified", "mcp:kode_verify")));
reduce inputs as $e ({total: 0, passed: 0, duration: 0, cost: 0, types: {}, files: {}, models: {}, days: {}, recent: []};
  if ($e | counted) then
    ($e.status | ascii_upcase == "PASS") as $pass
    | .total += 1
    | (if $pass then .passed += 1 else . end)
    | .duration += ($e.duration_ms // 0)
    | .cost += ($e.cost_usd // 0)
    | .models[(if ($e.model // "") == "" then "(none)" else $e.model end)] += 1
    | .days[$e.timestamp[0:10]] |= ((. // {passed: 0, total: 0}) | .total += 1 | (if $pass then .passed += 1 else . end))
    | (if $pass then .
       elif $e.failures then reduce ($e.failures | to_entries[]) as $f (.;
         .types[($f.value | split(":")[0])] += 1
         | (if ($f.key | startswith("<")) then . else .files[$f.key] += 1 end))
       else .types[$e.status | ascii_downcase] += 1 end)
    | .recent = (.recent + [$e.status])[-20:]
  else . end)
| .files = (.files | to_entries | sort_by(-.value, .key) | .[0:10])
| .types = (.types | to_entries | sort_by(-.value, .key))
