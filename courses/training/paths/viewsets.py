"""Admin screens of this part of training management."""

VIEWSETS: list = []
