"""Accounts: registration, login, logout, password hashing and API tokens."""
