"""Messages between the server and its training workers: length-prefixed pickles over a socket.

Both ends are this project's own processes (socketpairs made by the server, inherited by the
worker it starts), so only our own objects cross; nothing from a user is ever unpickled here.
Each socket carries one direction and has one user at each end (a socket's timeout is shared by
everyone using it). Sends time out, so a stopped worker can never block a session's tick.
"""

from __future__ import annotations

import pickle
import select
import socket
import struct

HEADER = struct.Struct("!I")
MAX_MESSAGE = 64 * 2**20  # a frame is ~50 KB, a model well under 1 MB


class ChannelClosed(ConnectionError):
    """The other end went away (or sent something that is not a message)."""


def encode(message) -> bytes:
    """A message as the bytes ``send_bytes`` writes: pickled once, so it can be sent later."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def send_bytes(sock: socket.socket, data: bytes, timeout: float | None) -> None:
    """Write one encoded message; raises ChannelClosed (also on timeout: the other end is stuck)."""
    try:
        sock.settimeout(timeout)
        sock.sendall(data)
    except (OSError, ValueError) as err:  # timeout, broken pipe, closed socket
        raise ChannelClosed(str(err) or type(err).__name__) from None


def send(sock: socket.socket, message, timeout: float | None) -> None:
    send_bytes(sock, encode(message), timeout)


def receive(sock: socket.socket, timeout: float | None = None):
    """The next message, or None when none starts within ``timeout`` seconds (None: wait)."""
    try:
        if timeout is not None and not select.select([sock], [], [], timeout)[0]:
            return None
        sock.settimeout(None)  # a message once started is read whole
        header = _read(sock, HEADER.size)
        (size,) = HEADER.unpack(header)
        if size > MAX_MESSAGE:
            raise ChannelClosed(f"a message of {size} bytes")
        return pickle.loads(_read(sock, size))
    except (OSError, ValueError, EOFError, pickle.UnpicklingError) as err:
        raise ChannelClosed(str(err) or type(err).__name__) from None


def _read(sock: socket.socket, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(size - got)
        if not chunk:
            raise ChannelClosed("closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
