"""Errors a user can cause. Each message names the file or value and says what to do.

The CLI prints `kg: <message>` for these and exits non-zero; anything else is a bug
and keeps its traceback.
"""


class KgError(Exception):
    """Base class: a problem with input, options or data that the user can fix."""


class InputError(KgError):
    """A document cannot be read (missing, empty, binary, undecodable ...)."""

    def __init__(self, path, reason):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class LexiconError(KgError):
    """A data file under kg/lexicon or kg/queries is malformed (names file:line)."""


class QueryError(KgError):
    """A SPARQL query is malformed, unknown or failed."""


class GraphFileError(KgError):
    """A graph file cannot be read or parsed."""
