"""Why a list could not be fetched: apart from `tui.core.fetch`, so that catching them does not
import the HTTP stack (http.client and urllib cost ~40 ms of every start-up)."""


class FetchError(Exception):
    """The list could not be fetched (nor read from the cache); the message is one line."""


class NoListError(FetchError):
    """The server has no list for that day (HTTP 400, e.g. a future date)."""
