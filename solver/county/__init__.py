"""The county's data: schools, staff, needs, history, distances, pins and the policy."""
