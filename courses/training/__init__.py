"""Training management: assignments, sessions, learning paths, mandatory
training and compliance. Each part is a package of its own."""
