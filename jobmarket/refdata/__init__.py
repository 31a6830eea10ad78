"""Reference data shipped with the project: Hanoi's geography, occupations and the skill vocabulary."""
