"""Members' accounts: login, invitations, password reset, profile and roles."""
