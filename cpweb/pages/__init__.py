"""Pages for everyone: home, privacy statement, accessibility statement, language choice."""
