#!/usr/bin/env bash
# heaptui mcp, measured: open→ready against `summary --json` of the same file, the bytes of each
# answer at default limits, and a soak of mixed calls (10 % malformed) with the server's RSS
# sampled along the way. Raw JSON-RPC lines over stdio (no SDK needed).
# usage: benches/mcp.sh [CALLS=1000] ; BIN=path/to/heaptui overrides the binary
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/heaptui}
CALLS=${1:-1000}
python3 - "$BIN" "$CALLS" <<'PY'
import json, os, random, subprocess, sys, time
bin_, calls = sys.argv[1], int(sys.argv[2])
root = os.getcwd()
base, after = "assets/demo/base.heapsnapshot.gz", "assets/demo/after.heapsnapshot.gz"
series = [f"tests/fixtures/leak-{n}.heapsnapshot.gz" for n in ("base", "after", "final")]

def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024

p = subprocess.Popen([bin_, "mcp", "--root", root], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, text=True, cwd=root)
next_id = [0]
def request(method, params, raw=None):
    next_id[0] += 1
    line = raw if raw is not None else json.dumps({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
    p.stdin.write(line + "\n"); p.stdin.flush()
    if raw is not None:
        return None
    while True:
        msg = json.loads(p.stdout.readline())
        if msg.get("id") == next_id[0]:
            return msg
def call(name, args):
    t = time.perf_counter()
    r = request("tools/call", {"name": name, "arguments": args})
    return r, time.perf_counter() - t

request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
p.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n"); p.stdin.flush()

# open→ready against summary --json, same file, alternating.
for f in (after, series[2]):
    for _ in range(3):
        r, t_open = call("open", {"paths": [f]})
        handle = r["result"]["structuredContent"]["snapshots"][0]["handle"]
        call("close", {"handle": handle})
        t = time.perf_counter()
        subprocess.run([bin_, "summary", f, "--json"], stdout=subprocess.DEVNULL, check=True)
        t_cli = time.perf_counter() - t
        print(f"open→ready {f}: {t_open*1000:.0f} ms   summary --json: {t_cli*1000:.0f} ms")

call("open", {"paths": [base, after] + series})
asks = [
    ("summary", {"handle": "s8"}), ("duplicated_strings", {"handle": "s8"}),
    ("diff", {"base": "s7", "after": "s8"}), ("statistics", {"handle": "s8"}),
    ("trend", {"handles": ["s9", "s10", "s11"]}), ("suspects", {"handles": ["s9", "s10", "s11"]}),
    ("dominators", {"handle": "s8"}), ("list", {}),
]
sus = call("suspects", {"handles": ["s9", "s10", "s11"]})[0]["result"]["structuredContent"]
holder = sus["suspects"][0]["holder"]["id"]
asks += [("retainers", {"handle": "s11", "id": holder}), ("show", {"handle": "s11", "id": holder})]
for name, args in asks:
    r, t = call(name, args)
    print(f"{name:<20} {len(json.dumps(r['result'])):>6} bytes  {t*1000:6.0f} ms")

bad = ['{"jsonrpc": "2.0", "id": 1, "method": ', "not json", '{"jsonrpc":"2.0"}']
random.seed(1)
answered = errors = 0
samples = [rss(p.pid)]
start = time.perf_counter()
for i in range(calls):
    if (i + 1) % (calls // 5) == 0:
        samples.append(rss(p.pid))
    if i % 10 == 9:
        which = random.randrange(3)
        if which == 0:
            request(None, None, raw=random.choice(bad))
        elif which == 1:
            r = request("tools/call", {"name": "summary", "arguments": {"handle": 7}})
            answered += 1; errors += r.get("error") is not None or r["result"].get("isError", False)
        else:
            r = request("tools/call", {"name": "retainers", "arguments": {"handle": "s11", "id": 4294967295}})
            answered += 1; errors += r.get("error") is not None or r["result"].get("isError", False)
        continue
    name, args = asks[i % len(asks)]
    r = request("tools/call", {"name": name, "arguments": args})
    answered += 1
elapsed = time.perf_counter() - start
assert request("tools/call", {"name": "list", "arguments": {}})["result"]["isError"] is False
print(f"soak: {calls} calls ({calls // 10} malformed or refused) in {elapsed:.1f} s; {answered} answered, "
      f"{errors} refused as expected; RSS MB along the way: {[round(s / 1e6) for s in samples]}")
p.stdin.close(); p.wait(10)
PY
