"""Job seekers: profile, CV, applications, invitations, own data; and the officer's walk-in registration."""
