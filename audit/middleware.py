import uuid

from .context import AuditContext, reset_context, set_context


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


class AuditContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and puts the actor into the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming and len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        request.request_id = request_id
        user = getattr(request, "user", None)
        channel = "api" if request.path.startswith(("/api/", "/open311/")) else "web"
        token = set_context(AuditContext(
            actor=user if user is not None and user.is_authenticated else None,
            request_id=request_id, client_ip=client_ip(request), channel=channel,
        ))
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response
