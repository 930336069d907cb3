"""Lead cards for reps: queued with the assignment (`enqueue`), rendered per channel
(`card`), sent over Slack / webhook / SMTP (`channels`) by a worker with leases and
retries (`worker`, `leadbot notifications send --follow`)."""
