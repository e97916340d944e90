#!/usr/bin/env bash
# Makes a snapshot file larger than 4 GB from any snapshot by padding the separators of its
# number arrays with JSON white space (valid JSON, the same heap), so the > 4 GB paths (offsets
# past 2^32, the memory map, chunked parsing) can be checked against the original:
#
#   benches/make-huge.sh SNAP.heapsnapshot OUT.heapsnapshot [TARGET_BYTES=4400000000]
#   diff <(heaptui summary --json SNAP | sed 1,2d) <(heaptui summary --json OUT | sed 1,2d)
set -euo pipefail
umask 077
python3 - "$@" <<'PY'
import os, sys
src, out = sys.argv[1], sys.argv[2]
target = int(sys.argv[3]) if len(sys.argv) > 3 else 4_400_000_000
data = open(src, 'rb').read()
start = data.index(b'"nodes":[')
end = data.index(b'"strings":[')          # the number arrays lie between
commas = data.count(b',', start, end)
pad = b' ' * max(1, (target - len(data)) // max(commas, 1) + 1)
with open(out, 'wb') as f:
    f.write(data[:start])
    step = 8 << 20
    for i in range(start, end, step):
        f.write(data[i:min(i + step, end)].replace(b',', b',' + pad))
    f.write(data[end:])
print(out, os.path.getsize(out), 'bytes')
PY
