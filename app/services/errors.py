class DomainError(Exception):
    """A rule of the domain said no. The message is written for the person who asked.

    `field`, when set, names the form field the message belongs next to.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
