"""The server's pool of training workers: ``pool.py`` (the page's side: places, the queue, one
``Job`` per playing session), ``worker.py`` (the child process that trains every job in turns and
draws its frames) and ``channel.py`` (the messages between them). One worker per core, shared by
every session of the replica; the worker holds no GIL with the server.
"""
