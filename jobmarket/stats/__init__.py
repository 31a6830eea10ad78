"""Labour office statistics: indicators over placements, vacancies, applications and job seekers."""
