"""Tests of matching and search (the database backend; a contract suite other backends can run)."""
