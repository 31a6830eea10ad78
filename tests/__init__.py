"""Test suite of the Hanoi Job Exchange."""
