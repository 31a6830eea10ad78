"""The labour office: verifying businesses, reviewing flagged vacancies, taking vacancies down."""
