"""``search --serve``: the application under uvicorn, in ``serve.workers`` processes.

The socket is bound here, before any worker starts, so a port in use or an address that is
not this machine's is one line and exit 2, and the URL printed is the one listening (also
with ``port = 0``). SIGINT and SIGTERM stop it after the requests in flight, exit 0.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from ..config import Config, ConfigError
from .app import ARGS_VARIABLE, create_app

LOCAL_HOSTS = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(config: Config) -> None:
    """Refuse to serve a possibly private index beyond this machine without a token or consent."""
    serve = config.serve
    if not is_loopback(serve.host) and not serve.token and not serve.public:
        raise ConfigError(
            f"serve.host = {serve.host!r} reaches beyond this machine: set serve.token "
            "(NORSEARCH__SERVE__TOKEN) or, if the index is public, serve.public = true"
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; OSError (port in use, no such address) names the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def serve(config: Config, config_file: str | None, overrides: dict) -> None:
    """Serve until SIGINT or SIGTERM; prints the URL once listening."""
    check_exposure(config)
    sock = bind(config.serve.host, config.serve.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"serving {config.index.path} on http://{shown}:{port}/", flush=True)
    options = dict(log_config=None, access_log=False, server_header=False, timeout_graceful_shutdown=10)
    for stop in (signal.SIGINT, signal.SIGTERM):  # uvicorn re-raises the signal after its clean stop: exit 0
        signal.signal(stop, lambda *_: None)
    if config.serve.workers == 1:
        uvicorn.Server(uvicorn.Config(create_app(config), **options)).run(sockets=[sock])
        return
    os.environ[ARGS_VARIABLE] = json.dumps({"config": config_file, "overrides": overrides})
    workers = uvicorn.Config(
        "index.web.app:app_from_environment", factory=True, workers=config.serve.workers, **options
    )
    Multiprocess(workers, sockets=[sock]).run()
