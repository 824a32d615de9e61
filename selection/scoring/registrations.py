"""What this part adds to the registries in lms."""
