"""Employers: businesses, their vacancies and the applications they receive."""
