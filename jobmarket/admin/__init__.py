"""Administration: accounts and roles, and the skill vocabulary."""
