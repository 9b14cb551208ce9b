"""Memory and time of refusing hostile uploads, against loading honest ones, in the same run.

Run: ``.venv/bin/python benchmarks/bench_hostile.py``

Each case runs in a fresh process limited to ``--limit-mib`` of address space (default 1024) and
prints its outcome, its wall time and its peak resident memory (VmHWM); the reference is a process that
only imports the loaders (what every case pays before reading a byte). Cases: the reported model
file (one 50,000 x 40,000 float32 array of zeros: 7.8 MB zipped, 8 GB inflated), an honest model
just under MAX_PARAMETERS (float32, stored), the default-sized digit net, a PNG declaring
100,000 x 100,000 pixels and an allowed 4096 x 4096 RGBA PNG of zeros.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import Linear, Net, save_model  # noqa: E402
from core.mnist.train import build_digit_net  # noqa: E402
from core.modelfile import MAX_PARAMETERS  # noqa: E402
from tests.core.hostile import linear_bomb, png_declaring  # noqa: E402

CHILD = """
import json, resource, sys, time
limit = int(sys.argv[1]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from core.modelfile import load_model
from core.mnist.preprocess import load_image_file
kind, path = sys.argv[2], sys.argv[3]
start = time.perf_counter()
try:
    if kind == "model":
        outcome = "loaded %d parameters" % sum(p.value.size for p in load_model(path).net.parameters())
    elif kind == "image":
        outcome = "read %s" % (load_image_file(path).shape,)
    else:
        outcome = "imports only"
except ValueError as exc:
    outcome = "refused: " + str(exc)
except MemoryError as exc:
    outcome = "MemoryError: %s" % exc
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mib": hwm / 1024}))
"""


def measure(kind: str, path: str, limit_mib: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(limit_mib), kind, path], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    if proc.returncode != 0:
        return {"outcome": f"crashed (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}", "seconds": 0,
                "peak_mib": float("nan")}
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mib", type=int, default=1024, help="address-space limit of each case (default 1024)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        (folder / "bomb.npz").write_bytes(linear_bomb(honest_crc=True))
        print(f"built the bomb ({(folder / 'bomb.npz').stat().st_size / 1e6:.1f} MB, honest CRC) in "
              f"{time.perf_counter() - start:.1f} s")
        nout, nin = 4_000, MAX_PARAMETERS // 4_000 - 1
        weights = np.random.default_rng(0).normal(size=(nout, nin)).astype(np.float32)
        near_cap = Net([Linear.from_arrays(weights, np.zeros((1, nout), np.float32), copy=False)])
        save_model(folder / "near-cap.npz", near_cap)
        save_model(folder / "digits-512-256.npz", build_digit_net((512, 256)))
        (folder / "png-100000x100000.png").write_bytes(png_declaring(100_000, 100_000))
        buf = io.BytesIO()
        Image.new("RGBA", (4096, 4096)).save(buf, "PNG")
        (folder / "zeros-4096-rgba.png").write_bytes(buf.getvalue())
        cases = [("reference", "-", "imports only"),
                 ("model", str(folder / "bomb.npz"), "the reported bomb, 50,000 x 40,000 float32"),
                 ("model", str(folder / "near-cap.npz"), f"honest float32 model, {(nin + 1) * nout:,} parameters"),
                 ("model", str(folder / "digits-512-256.npz"), "the CLI's default digit net, 784-512-256-10"),
                 ("image", str(folder / "png-100000x100000.png"), "PNG declaring 100,000 x 100,000"),
                 ("image", str(folder / "zeros-4096-rgba.png"), "allowed 4096 x 4096 RGBA PNG of zeros")]
        print(f"each case in a fresh process limited to {args.limit_mib} MiB of address space\n")
        reference = None
        for kind, path, label in cases:
            size = "" if path == "-" else f"{Path(path).stat().st_size / 1e6:7.2f} MB"
            r = measure(kind, path, args.limit_mib)
            reference = reference or r["peak_mib"]
            extra = f"  (+{r['peak_mib'] - reference:.0f} MiB over the reference)" if kind != "reference" else ""
            print(f"{label:48s} {size:>10s}  {r['seconds']:6.2f} s  peak RSS {r['peak_mib']:6.0f} MiB{extra}")
            print(f"    {r['outcome'][:150]}")


if __name__ == "__main__":
    main()
