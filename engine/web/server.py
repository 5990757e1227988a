"""Starting the page: a socket on a free port, a secret token, and uvicorn in the calling thread.

The socket is bound here (not by uvicorn) so that "port in use, take the next" has no race, and
the caller learns the real port before it prints the URL.
"""

from __future__ import annotations

import secrets
import socket
from dataclasses import dataclass
from typing import Any

from .app import create_app
from .guard import LOCAL_NAMES

PORT_TRIES = 50


@dataclass
class Serving:
    """What `qunce serve` prints: the socket, the URL with its token, and whether the port moved."""

    sock: socket.socket
    host: str
    port: int
    asked: int
    token: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/?token={self.token}"


def bind(host: str = "127.0.0.1", port: int = 8765) -> tuple[socket.socket, int]:
    """A listening socket on `port` or, when taken, the next free one (port 0: any)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last: OSError | None = None
    for candidate in ([0] if port == 0 else range(port, min(port + PORT_TRIES, 65536))):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((host, candidate))
            sock.listen(64)
            return sock, sock.getsockname()[1]
        except OSError as err:
            sock.close()
            last = err
    raise last or OSError("no free port")


def prepare(host: str = "127.0.0.1", port: int = 8765) -> Serving:
    sock, real = bind(host, port)
    return Serving(sock, host, real, port, secrets.token_urlsafe(24))


def run(serving: Serving, target: Any, *, lang: str = "zh") -> None:
    """Serve until interrupted, in this thread (the main one under the CLI, so api's time bound
    holds in the handlers)."""
    import uvicorn

    hosts = tuple(LOCAL_NAMES) + ((serving.host,) if serving.host not in LOCAL_NAMES else ())
    app = create_app(target, token=serving.token, lang=lang, hosts=hosts)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uvicorn.Server(config).run(sockets=[serving.sock])


__all__ = ["Serving", "bind", "prepare", "run"]
