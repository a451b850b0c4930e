"""Several processes on one database: one SQLite process, one poller among PostgreSQL replicas.

README, Deployment, says how to run two replicas.
"""
