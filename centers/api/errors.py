class BadRequest(ValueError):
    """Input the API refuses; the message is shown to the client in a 400 JSON answer."""


class NotFound(LookupError):
    """No object has the id asked for; the message is shown in a 404 JSON answer."""
