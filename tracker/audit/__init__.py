"""The tamper-evident audit trail: appending events and verifying the chain."""
