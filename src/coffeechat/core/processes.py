"""Several server processes with gunicorn, for `coffeechat serve --workers N`.

One waitress process serves every page on one CPU core, since its threads take turns under
Python's global lock. gunicorn forks N processes that share the listening socket, so a
career center's server uses all its cores. It imports on POSIX only (it needs fork), so this
module is imported only when more than one process is asked for.
"""

from __future__ import annotations

from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            self.cfg.set(name, value)
        # GUNICORN_CMD_ARGS tunes what coffeechat's options do not cover (timeouts, an access
        # log, max requests...), as for any gunicorn: read after our settings, so it wins.
        parser = self.cfg.parser()
        for name, value in vars(parser.parse_args(self.cfg.get_cmd_args_from_env())).items():
            if value is not None and name != "args":
                self.cfg.set(name.lower(), value)

    def load(self) -> WSGIHandler:
        # The same WSGI application as waitress serves: WhiteNoise in it serves the static
        # files, so each process serves them too.
        return get_wsgi_application()


def serve_in_processes(*, bind: str, workers: int, threads: int) -> None:
    """Runs gunicorn in this process as the master until SIGTERM or SIGINT; returns never
    (gunicorn exits the process, with status 0 after a clean stop)."""
    _Server(
        {
            "bind": bind,
            "workers": workers,
            # Above one thread gunicorn picks its threaded worker (gthread), which also keeps
            # a slow client from holding a whole process.
            "threads": threads,
            # Django is loaded once in the master and the processes are forked from it: less
            # memory, a quicker start, and a broken configuration stops the start at once.
            "preload_app": True,
            # The only proxy switch is COFFEECHAT_BEHIND_PROXY (Django's
            # SECURE_PROXY_SSL_HEADER), as with waitress: gunicorn itself trusts no
            # X-Forwarded-* header, not even from loopback, so the two servers behave alike.
            "forwarded_allow_ips": "",
            # The one start line is coffeechat's; gunicorn speaks of warnings and errors.
            "loglevel": "warning",
            "proc_name": "coffeechat",
        }
    ).run()
