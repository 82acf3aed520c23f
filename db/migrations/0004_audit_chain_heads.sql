CREATE TABLE "audit_chain_heads" (
	"chain" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"prev_hash" "bytea",
	"hash" "bytea" NOT NULL
);
--> statement-breakpoint
-- Existing chains start their heads at their last event.
INSERT INTO "audit_chain_heads" ("chain", "seq", "prev_hash", "hash")
SELECT DISTINCT ON ("plan_id") coalesce("plan_id"::text, '-'), "seq", "prev_hash", "hash"
  FROM "audit_events"
 ORDER BY "plan_id", "seq" DESC;
