#!/usr/bin/env bash
# heaptui mcp, measured: open→ready against `summary --json` of the same file, the bytes of each
# answer at default limits, and a soak of mixed calls (10 % malformed) with the server's RSS
# sampled along the way. Raw JSON-RPC lines over stdio (no SDK needed).
# usage: benches/mcp.sh [CALLS=1000]          the demo files, the fixtures and the soak
#        benches/mcp.sh FILE [SECOND]          a big file: open→ready against `summary --json`
#          (alternating, 2 runs each), each tool's latency and answer bytes on it (`retainers`,
#          `show`, `dominators` on the object that retains most, `paths` on its class), then the
#          server's peak RSS with FILE and SECOND open against `diff FILE SECOND --json`'s peak RSS.
# BIN=path/to/heaptui overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/heaptui}
if [[ $# -ge 1 && ! $1 =~ ^[0-9]+$ ]]; then
python3 - "$BIN" "$@" <<'PY'
import json, os, subprocess, sys, time
bin_, file = sys.argv[1], os.path.abspath(sys.argv[2])
second = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
      f"{os.path.basename(file)} {os.path.getsize(file) / 1e6:.0f} MB")

def start():
    dirs = {os.path.dirname(file)} | ({os.path.dirname(second)} if second else set())
    args = [bin_, "mcp"] + [a for d in sorted(dirs) for a in ("--root", d)]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    p.next_id = 0
    request(p, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                              "clientInfo": {"name": "bench", "version": "1"}})
    p.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
    p.stdin.flush()
    return p
def request(p, method, params):
    p.next_id += 1
    p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": p.next_id, "method": method, "params": params}) + "\n")
    p.stdin.flush()
    while True:
        msg = json.loads(p.stdout.readline())
        if msg.get("id") == p.next_id:
            return msg
def call(p, name, args):
    t = time.perf_counter()
    r = request(p, "tools/call", {"name": name, "arguments": args})
    t = time.perf_counter() - t
    assert not r["result"].get("isError"), (name, r)
    return r["result"], t
def hwm(p):
    with open(f"/proc/{p.pid}/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))

for run in range(2):
    p = start()
    _, t_open = call(p, "open", {"paths": [file]})
    p.stdin.close(); p.wait(60)
    t = time.perf_counter()
    subprocess.run([bin_, "summary", file, "--json"], stdout=subprocess.DEVNULL, check=True)
    print(f"run {run + 1}: open→ready {t_open:.2f} s   summary --json {time.perf_counter() - t:.2f} s")

p = start()
call(p, "open", {"paths": [file]})
node = call(p, "dominators", {"handle": "s1"})[0]["structuredContent"]["node"]
top = next((c for c in node["children"] if c["type"] != "synthetic"), node["children"][0])
print(f"top object @{top['id']} {top['className']} (retained {top['retainedSize']:,} B)")
asks = [("summary", {"handle": "s1"}), ("statistics", {"handle": "s1"}),
        ("retainers", {"handle": "s1", "id": top["id"]}), ("show", {"handle": "s1", "id": top["id"]}),
        ("dominators", {"handle": "s1", "id": top["id"]}), ("duplicated_strings", {"handle": "s1"}),
        ("paths", {"handle": "s1", "class": top["className"]})]
for name, args in asks:
    times = []
    for _ in range(3):
        r, t = call(p, name, args)
        times.append(t)
    print(f"{name:<20} {len(json.dumps(r)):>6} bytes   {min(times) * 1000:7.0f} ms (best of 3; "
          f"first {times[0] * 1000:.0f} ms)")
if second:
    call(p, "open", {"paths": [second]})
    peak = hwm(p)
    p.stdin.close(); p.wait(60)
    out = subprocess.run(["/usr/bin/time", "-f", "%M", bin_, "diff", file, second, "--json"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    kb = int(out.stderr.strip().splitlines()[-1])
    print(f"peak RSS, {os.path.basename(file)} + {os.path.basename(second)} open: server "
          f"{peak / 1e6:.0f} MB   diff --json {kb * 1024 / 1e6:.0f} MB")
else:
    p.stdin.close(); p.wait(60)
print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
PY
exit
fi
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

# The soak: 20 opens and closes of the fixtures, then mixed calls, one in ten a malformed line
# (each must be answered with a JSON-RPC error, id null); RSS back to its first plateau.
def settle():
    time.sleep(0.5)
    return rss(p.pid)
# The first plateau: after the first open and close of three more snapshots (the allocator
# keeps some of what they freed); before it, RSS is that of the five snapshots alone.
before = settle()
samples = []
start = time.perf_counter()
for cycle in range(20):
    r, _ = call("open", {"paths": series})
    for snap in r["result"]["structuredContent"]["snapshots"]:
        call("close", {"handle": snap["handle"]})
    if cycle == 0:
        plateau = settle()
    elif cycle % 5 == 4:
        samples.append(rss(p.pid))
bad = ['{"jsonrpc": "2.0", "id": 1, "method": ', "not json", '{"jsonrpc":"2.0"}', "[]"]
random.seed(1)
answered = malformed = 0
for i in range(calls):
    if (i + 1) % (calls // 5) == 0:
        samples.append(rss(p.pid))
    if i % 10 == 9:
        request(None, None, raw=random.choice(bad))
        msg = json.loads(p.stdout.readline())
        assert msg["id"] is None and msg["error"]["code"] in (-32700, -32600), msg
        assert "\n" not in msg["error"]["message"]
        malformed += 1
        continue
    name, args = asks[i % len(asks)]
    r = request("tools/call", {"name": name, "arguments": args})
    assert "result" in r, r
    answered += 1
elapsed = time.perf_counter() - start
listed = request("tools/call", {"name": "list", "arguments": {}})["result"]
assert listed["isError"] is False and len(listed["structuredContent"]["snapshots"]) == 5, listed
end = settle()
print(f"soak: 20 opens/closes of 3 fixtures + {calls} calls in {elapsed:.1f} s: {answered} answered, "
      f"{malformed} malformed lines answered with an error, none unanswered; RSS MB: {before / 1e6:.0f} "
      f"before, first plateau "
      f"{plateau / 1e6:.0f}, along the way {[round(s / 1e6) for s in samples]}, end {end / 1e6:.0f} "
      f"({(end / plateau - 1) * 100:+.1f} %: "
      f"{'within' if end <= plateau * 1.05 else 'NOT within'} 5 % of the first plateau)")
print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
p.stdin.close(); p.wait(10)
PY
