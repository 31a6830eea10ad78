"""Tests of the employer journey."""
