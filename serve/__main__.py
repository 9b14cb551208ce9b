"""``python -m serve`` (``./run serve``): the playground for a whole class on one machine.

HAProxy listens on ``--port`` and sends each browser, by a SERVERID cookie, to one of
``--replicas`` Streamlit processes (default: one per core) that share one ``server.cookieSecret``
(see ``serve.secret``). Ctrl-C or SIGTERM stops every process it started.

    ./run serve                        # http://<this machine>:8501, one replica per core
    ./run serve --replicas 4 --port 80
    ./run serve --remote 10.0.0.12:8601 --remote 10.0.0.13:8601   # add replicas started elsewhere
    ./run serve -- --server.maxUploadSize 5                         # options after -- go to every replica
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from serve.balancer import parse_address
from serve.launcher import Launcher, LaunchError
from serve.secret import cookie_secret


def default_replicas() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_args(argv: list[str]) -> argparse.Namespace:
    streamlit_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, streamlit_args = argv[:cut], argv[cut + 1:]
    p = argparse.ArgumentParser(prog="./run serve", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8501, help="the balancer's port (default 8501)")
    p.add_argument("--bind", default="0.0.0.0",
                   help="the balancer's address (default 0.0.0.0: every interface; 127.0.0.1 for this machine only)")
    p.add_argument("--replicas", type=int, default=default_replicas(),
                   help=f"Streamlit processes on this machine (default: one per core, here {default_replicas()})")
    p.add_argument("--replica-ports", default="",
                   help="their ports on 127.0.0.1, comma-separated (default: free ports)")
    p.add_argument("--remote", action="append", default=[], metavar="HOST:PORT",
                   help="a replica started on another machine with the same cookie secret (repeatable)")
    args = p.parse_args(argv)
    args.streamlit_args = streamlit_args
    try:
        args.replica_ports = [int(x) for x in args.replica_ports.split(",") if x.strip()]
        args.remote = [parse_address(r) for r in args.remote]
    except ValueError as err:
        p.error(str(err))
    if not 0 < args.port < 65536:
        p.error(f"--port {args.port} is not a port number")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    stop = {"signal": None}

    def on_signal(signum, _frame):
        stop["signal"] = signum

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        launcher = Launcher(args.bind, args.port, args.replicas, cookie_secret(), replica_ports=args.replica_ports,
                            remotes=args.remote, streamlit_args=args.streamlit_args)
        launcher.should_stop = lambda: stop["signal"] is not None
        remote = f" and {len(args.remote)} remote one(s)" if args.remote else ""
        launcher.say(f"Starting HAProxy in front of {args.replicas} local Streamlit replica(s){remote} ...")
        launcher.start()
    except LaunchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    backends = ", ".join(b.address for b in launcher.backends)
    where = launcher.url if args.bind not in ("0.0.0.0", "::", "*") else \
        f"http://<this machine's address>:{args.port} ({launcher.url} from here)"
    launcher.say(f"The playground is at {where}, balanced over {backends}. Ctrl-C stops it.")
    status = launcher.supervise(lambda: stop["signal"] is not None)
    launcher.say("Stopping ...")
    launcher.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
