"""Reading instances from files and writing plans to files.

Import the modules themselves (``twinning.io.readers``): this package imports nothing, so
that the words of the outputs (:mod:`twinning.io.headers`) load without the readers.
"""
