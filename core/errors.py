"""One family of domain errors; views, the API and commands map them to responses once."""


class ApplicationError(Exception):
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class InvalidTransition(ApplicationError):
    code = "invalid_transition"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        from_status: str = "",
        to_status: str = "",
    ):
        super().__init__(message, code=code, field=field)
        # The refused move, so the site can say it in the visitor's language.
        self.from_status = from_status
        self.to_status = to_status


class PledgeRefused(ApplicationError):
    code = "pledge_refused"


class PaymentDeclined(ApplicationError):
    code = "payment_declined"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, reason: str = ""):
        super().__init__(message, code=code, field=field)
        # The provider's reason when it gives one (Stripe's decline codes, which the sandbox speaks
        # too): "insufficient_funds", "invalid_number", "card_declined", ...; the site says it in words.
        self.reason = reason


class InsufficientFunds(ApplicationError):
    code = "insufficient_funds"


class PermissionDenied(ApplicationError):
    code = "permission_denied"
