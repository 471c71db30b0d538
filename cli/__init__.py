"""The ``twinning`` command line: a thin layer over :mod:`solver`."""
