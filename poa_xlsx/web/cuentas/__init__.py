"""Accounts: who a user is (role, ramo), signing in with limits on failed attempts, and the log."""
