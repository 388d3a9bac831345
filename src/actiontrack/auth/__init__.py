"""Who someone is and what their role lets them do: passwords, sessions, tokens, guards, sign-in.

passwords.py   what a new password must be; argon2 hashing and checking, a few at a time per worker
tokens.py      secrets stored as their SHA-256 (links, feeds, API tokens); the API's bearer sign-in
sessions.py    the session cookie and its generation, the current user and the request's language
roles.py       the roles' names and the guards `requires` and `signed_in`
throttling.py  failed sign-ins counted per email and address before a password is checked
pages.py       the routes: sign in, sign out, switch language (templates/auth/)
"""
