CREATE TABLE "action_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"author_user_id" uuid,
	"status" "action_status",
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_entries_say_something" CHECK ("action_entries"."status" IS NOT NULL OR "action_entries"."note" <> '')
);
--> statement-breakpoint
CREATE TABLE "plan_visits" (
	"plan_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"previous_visit_at" timestamp with time zone,
	CONSTRAINT "plan_visits_plan_id_user_id_pk" PRIMARY KEY("plan_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "actions" ADD COLUMN "meeting_id" uuid;--> statement-breakpoint
ALTER TABLE "actions" ADD COLUMN "decision" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "client_took_part" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "action_entries" ADD CONSTRAINT "action_entries_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_entries" ADD CONSTRAINT "action_entries_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_entries" ADD CONSTRAINT "action_entries_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_visits" ADD CONSTRAINT "plan_visits_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_visits" ADD CONSTRAINT "plan_visits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_entries_action_idx" ON "action_entries" USING btree ("plan_id","action_id","created_at");--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Each action's one note becomes the first entry of its thread, written by whoever last changed the
-- action, at that time (the best the old row knows); the overwritten field then goes.
INSERT INTO "action_entries" ("plan_id", "action_id", "author_user_id", "note", "created_at")
  SELECT "plan_id", "id", "updated_by", "notes", "updated_at" FROM "actions" WHERE "notes" <> '';--> statement-breakpoint
ALTER TABLE "actions" DROP COLUMN "notes";--> statement-breakpoint
-- An action's thread is append-only, like the access log (0001_append_only.sql).
CREATE TRIGGER action_entries_append_only BEFORE UPDATE OR DELETE ON action_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_change();--> statement-breakpoint
CREATE TRIGGER action_entries_no_truncate BEFORE TRUNCATE ON action_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
