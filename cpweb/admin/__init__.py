"""Admin pages: invite members, change their role and bodies, deactivate; bodies; audit log."""
