class BadRequest(ValueError):
    """Input the API refuses; the message is shown to the client in a 400 JSON answer."""
