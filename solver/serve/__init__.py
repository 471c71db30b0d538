"""The planners' web desk, ``twinning serve``: pages in Chinese first and an HTTP API over
the same jobs (:mod:`twinning.serve.app`), each solve in a process of its own
(:mod:`twinning.serve.jobs`, :mod:`twinning.serve.worker`), everything kept in one data
folder (:mod:`twinning.serve.store`), safe by default (:mod:`twinning.serve.security`,
:mod:`twinning.serve.uploads`)."""

from twinning.serve.app import Config, create_app

__all__ = ["Config", "create_app"]
