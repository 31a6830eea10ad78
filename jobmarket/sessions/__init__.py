"""Job exchange sessions: floors, sessions, taking part, tickets and check-in, the interview plan, outcomes, report."""
