"""Sign-in, sign-out, own account, and the role checks every other feature uses."""
