-- No query reads the access log by time (pages go by chain position, on audit_events_plan_seq_idx),
-- and every audit event paid for this index on insert.
DROP INDEX "audit_events_plan_at_idx";
