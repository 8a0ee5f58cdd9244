"""Deployment: hosted mode (``python -m deploy.hosted``) and the nginx reverse-proxy configuration."""
