"""Administration: accounts and roles, the skill vocabulary, the search synonym list."""
