CREATE TABLE "visibility_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"hidden" boolean NOT NULL,
	"method" "consent_method" NOT NULL,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "hidden_by_client" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "visibility_decisions" ADD CONSTRAINT "visibility_decisions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visibility_decisions" ADD CONSTRAINT "visibility_decisions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visibility_decisions" ADD CONSTRAINT "visibility_decisions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visibility_decisions_plan_idx" ON "visibility_decisions" USING btree ("plan_id","recorded_at");--> statement-breakpoint
-- The client's visibility decisions are history, like consent: append-only (0001_append_only.sql).
CREATE TRIGGER visibility_decisions_append_only BEFORE UPDATE OR DELETE ON visibility_decisions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- A member hidden before this column existed was hidden by the client's choice (the only one who could).
UPDATE members SET hidden_by_client = hidden WHERE hidden AND status = 'current';
