"""Reading instances from files and writing plans to files."""

from twinning.io.readers import InputWarning, load_instance, read_instance

__all__ = ["InputWarning", "load_instance", "read_instance"]
