from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form came back without its security token (usually an old tab)."""
    return render(request, "403_csrf.html", status=403)
